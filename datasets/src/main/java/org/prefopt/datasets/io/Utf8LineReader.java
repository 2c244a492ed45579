package org.prefopt.datasets.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a byte stream line by line and decodes each line as strict UTF-8.
 *
 * <p>Lines are split on raw {@code '\n'} bytes before decoding (that byte never occurs inside a multi-byte UTF-8
 * sequence), so a malformed byte is reported on its own line. An {@code InputStreamReader} would decode ahead in
 * 8 KiB chunks and lose the line. Only one line is held at a time.
 */
public final class Utf8LineReader implements Closeable {

    /** A decoded line, or the reason it could not be decoded. */
    public record Line(long number, String text, String decodeError) {
    }

    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] chunk = new byte[1 << 16];
    private int chunkPos;
    private int chunkLen;
    private byte[] line = new byte[1024];
    private long number;
    private boolean eof;

    public Utf8LineReader(InputStream in) {
        this.in = in;
    }

    /** The next line without its terminator ({@code \n} or {@code \r\n}), or null at the end of the stream. */
    public Line next() throws IOException {
        if (eof) {
            return null;
        }
        int len = 0;
        boolean any = false;
        while (true) {
            if (chunkPos == chunkLen) {
                chunkLen = in.read(chunk);
                chunkPos = 0;
                if (chunkLen <= 0) {
                    chunkLen = 0;
                    eof = true;
                    break;
                }
            }
            any = true;
            int start = chunkPos;
            int end = start;
            while (end < chunkLen && chunk[end] != '\n') {
                end++;
            }
            int n = end - start;
            if (len + n > line.length) {
                line = Arrays.copyOf(line, Math.max(line.length * 2, len + n));
            }
            System.arraycopy(chunk, start, line, len, n);
            len += n;
            if (end < chunkLen) {
                chunkPos = end + 1;
                break;
            }
            chunkPos = chunkLen;
        }
        if (eof && !any && len == 0) {
            return null;
        }
        number++;
        int from = 0;
        if (number == 1 && len >= 3 && (line[0] & 0xff) == 0xEF && (line[1] & 0xff) == 0xBB
                && (line[2] & 0xff) == 0xBF) {
            from = 3; // a UTF-8 byte order mark is not part of the first record
        }
        if (len > from && line[len - 1] == '\r') {
            len--;
        }
        try {
            CharBuffer chars = decoder.reset().decode(ByteBuffer.wrap(line, from, len - from));
            return new Line(number, chars.toString(), null);
        } catch (CharacterCodingException e) {
            return new Line(number, null, describeBadByte(from, len));
        }
    }

    private String describeBadByte(int from, int len) {
        // Find the first offending byte so the message can point at it.
        CharsetDecoder probe = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.wrap(line, from, len - from);
        CharBuffer out = CharBuffer.allocate(len - from + 1);
        probe.decode(bytes, out, true);
        int offset = bytes.position() - from;
        int bad = bytes.hasRemaining() ? bytes.get(bytes.position()) & 0xff : -1;
        return "not valid UTF-8: byte " + (bad < 0 ? "sequence" : String.format("0x%02X", bad))
                + " at byte offset " + offset + " of the line (re-encode the file as UTF-8)";
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
