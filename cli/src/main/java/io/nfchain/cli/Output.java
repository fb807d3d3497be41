package io.nfchain.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Not thread-safe: one per command. {@code -o}, {@code --interval} and {@code --count}, and the drawing they ask for. */
final class Output {
    /** What a command prints. */
    enum Format {
        TABLE, JSON
    }

    // Zero counters are facts too: print every field, as the table does.
    private static final JsonFormat.Printer PRETTY = JsonFormat.printer().alwaysPrintFieldsWithNoPresence();
    private static final JsonFormat.Printer LINE = PRETTY.omittingInsignificantWhitespace();
    private static final String CLEAR_SCREEN = "\033[H\033[2J";

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table", converter = FormatConverter.class,
            description = "table (default) or json: the API's messages in proto3 JSON, one line per reading with --watch.")
    Format format;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1s", converter = AgentCommand.DurationConverter.class,
            description = "Between readings, at least 100ms (default ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0",
            description = "Stop after N readings (default 0: until Ctrl-C).")
    int count;

    static final class FormatConverter implements CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            return switch (value) {
                case "table" -> Format.TABLE;
                case "json" -> Format.JSON;
                default -> throw new CommandLine.TypeConversionException("'" + value + "' is not table or json");
            };
        }
    }

    /** Refuses watch settings the agent or the loop cannot honour. */
    void check() {
        if (count < 0) {
            throw new Failures.UsageException("--count: " + count + " is negative");
        }
        if (interval.toMillis() < 100) {
            throw new Failures.UsageException("--interval: " + Durations.format(interval) + " is under 100ms");
        }
    }

    static String json(MessageOrBuilder message, boolean oneLine) {
        try {
            return (oneLine ? LINE : PRETTY).print(message);
        } catch (InvalidProtocolBufferException e) {
            // Only Any fields with unknown types fail to print; the API has none.
            throw new IllegalStateException(e);
        }
    }

    /**
     * Prints one reading of a watch: on a terminal it replaces the screen (with {@code title} on
     * top), elsewhere readings follow each other separated by a blank line.
     */
    static void draw(PrintWriter out, boolean terminal, String title, String body, int reading) {
        if (terminal) {
            out.print(CLEAR_SCREEN);
            out.println(title);
            out.println();
        } else if (reading > 0) {
            out.println();
        }
        out.print(body);
        out.flush();
    }

    /** Whether a watch that has made {@code readings} readings should stop. */
    boolean done(int readings) {
        return count > 0 && readings >= count;
    }
}
