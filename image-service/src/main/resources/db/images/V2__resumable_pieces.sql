-- In a bucket, a resumable upload's bytes are objects written by the requests that sent them: this
-- says which request's object holds each part (runs "firstPart:writer", comma-separated), so that
-- any image node can continue the upload and a request that lost a race leaves nothing in use.
-- NULL in the file store, where the bytes are one file on the node's disk.
ALTER TABLE images.resumable_uploads
    ADD COLUMN pieces TEXT CHECK (pieces ~ '^[0-9]+:[0-9a-f]{16}(,[0-9]+:[0-9a-f]{16})*$');
