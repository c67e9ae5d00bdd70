package dev.qtune.experiments.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qtune.compiler.QtuneException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code trials.jsonl}: one JSON object per line, appended and flushed as each trial ends
 * (docs/formats.md). A search killed mid-write may leave a torn last line (partial JSON, no
 * newline); the reader skips it and counts it in {@link TrialLog#tornLines()}. A malformed line
 * anywhere else is an error naming the file and the line number. Blank lines are ignored.
 */
public final class TrialLogReader {
    private static final Logger LOG = LoggerFactory.getLogger(TrialLogReader.class);
    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private TrialLogReader() {}

    /**
     * Reads the whole log.
     *
     * @throws QtuneException if the file is missing or unreadable, or a line other than a torn
     *     last one is not a JSON object (the message names the file and line)
     */
    public static TrialLog read(Path file) {
        String text = new String(readBytes(file), StandardCharsets.UTF_8);
        List<ObjectNode> records = new ArrayList<>();
        int torn = 0;
        int start = 0;
        int lineNo = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            boolean terminated = end >= 0;
            String line = text.substring(start, terminated ? end : text.length());
            lineNo++;
            start = terminated ? end + 1 : text.length();
            if (line.isBlank()) {
                continue;
            }
            try {
                records.add(parse(line));
            } catch (JsonProcessingException | IllegalArgumentException e) {
                if (terminated) {
                    throw new QtuneException(file + ":" + lineNo + ": not a JSON object: " + why(e));
                }
                LOG.warn("{}:{}: skipped a torn last line ({} characters, no newline)", file, lineNo, line.length());
                torn++;
            }
        }
        return new TrialLog(records, torn);
    }

    /**
     * Makes the log safe to append to: drops a torn last line, or ends a complete but unterminated
     * last line with a newline. Resuming a killed search calls this before appending.
     *
     * @return the number of bytes removed (0 when nothing was torn)
     */
    public static long repair(Path file) {
        byte[] bytes = readBytes(file);
        int lastNewline = bytes.length - 1;
        while (lastNewline >= 0 && bytes[lastNewline] != '\n') {
            lastNewline--;
        }
        int tailStart = lastNewline + 1;
        if (tailStart == bytes.length) {
            return 0;
        }
        String tail = new String(bytes, tailStart, bytes.length - tailStart, StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            if (tail.isBlank() || isObject(tail)) {
                ch.position(bytes.length);
                ch.write(ByteBuffer.wrap(new byte[] {'\n'}));
                return 0;
            }
            ch.truncate(tailStart);
            LOG.warn("{}: removed a torn last line ({} bytes)", file, bytes.length - tailStart);
            return bytes.length - tailStart;
        } catch (IOException e) {
            throw new QtuneException("cannot repair trial log " + file + ": " + e.getMessage(), e);
        }
    }

    private static ObjectNode parse(String line) throws JsonProcessingException {
        JsonNode node = MAPPER.readTree(line);
        if (node instanceof ObjectNode o) {
            return o;
        }
        throw new IllegalArgumentException(
                "expected an object, found " + (node == null ? "nothing" : node.getNodeType()));
    }

    private static boolean isObject(String line) {
        try {
            parse(line);
            return true;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return false;
        }
    }

    private static String why(Exception e) {
        return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new QtuneException("trial log not found: " + file);
        } catch (IOException e) {
            throw new QtuneException("cannot read trial log " + file + ": " + e.getMessage(), e);
        }
    }
}
