package io.discs.transfer.tap;

/**
 * What the tap knows of a request when it must decide whether to take its body: the request line
 * and the media type, nothing that needs the body.
 *
 * @param method the method's name, upper case
 * @param path the path without its query
 * @param mediaType the Content-Type's media type in lower case, without parameters; null if none
 */
public record RequestHead(String method, String path, String mediaType) {}
