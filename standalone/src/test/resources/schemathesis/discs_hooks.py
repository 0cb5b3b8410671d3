import schemathesis


@schemathesis.serializer("application/offset+octet-stream")
def offset_stream(ctx, value):
    # tus chunks are raw bytes; generated values may be bytes or text.
    return value if isinstance(value, bytes) else str(value).encode()
