package io.switchboard.router.truncation;

/**
 * The data to publish and what truncation did to it.
 *
 * @param json the JSON text, at most the limit in UTF-8 bytes
 * @param bytes its UTF-8 size
 * @param truncated whether the payload was cut down
 * @param originalBytes the UTF-8 size before
 * @param droppedFields top-level fields left out entirely because even their reduced form did not fit
 */
public record TruncationResult(String json, int bytes, boolean truncated, int originalBytes, int droppedFields) {}
