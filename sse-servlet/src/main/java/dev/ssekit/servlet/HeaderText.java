package dev.ssekit.servlet;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Recovers the text of a header that a browser sent as UTF-8. Stateless. */
final class HeaderText {

    private HeaderText() {
    }

    /**
     * Re-reads a header value as UTF-8. Browsers send {@code Last-Event-ID} as UTF-8, while
     * servlet containers hand header values out as ISO-8859-1, one char per byte, so an id such
     * as {@code bestellung-é-1} would come back garbled and never match. A value that is plain
     * ASCII, holds a char above U+00FF (the container already decoded it), or is not valid
     * UTF-8 is returned as it is.
     */
    static String utf8(String latin1) {
        boolean ascii = true;
        for (int i = 0; i < latin1.length(); i++) {
            char c = latin1.charAt(i);
            if (c > 0xFF) {
                return latin1;
            }
            ascii &= c < 0x80;
        }
        if (ascii) {
            return latin1;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(latin1.getBytes(StandardCharsets.ISO_8859_1)))
                    .toString();
        } catch (CharacterCodingException e) {
            return latin1;
        }
    }
}
