package io.nfchain.agent.spec;

/** Immutable. An inclusive range of TCP/UDP ports: {@code 80}, {@code 1024-65535}. */
public record PortRange(int first, int last) {
    public static final PortRange ANY = new PortRange(0, 65535);

    static PortRange parse(String path, String text) {
        int dash = text.indexOf('-');
        int first = number(path, text, dash < 0 ? text : text.substring(0, dash));
        int last = dash < 0 ? first : number(path, text, text.substring(dash + 1));
        if (first > last) {
            throw new SpecException(path, "'" + text + "': range is reversed (" + first + " > " + last + ")");
        }
        return new PortRange(first, last);
    }

    private static int number(String path, String text, String part) {
        try {
            int n = Integer.parseInt(part.trim());
            if (n < 0 || n > 65535) {
                throw new SpecException(path, "'" + text + "': ports are 0..65535");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new SpecException(path, "'" + text + "' is not a port or a range first-last");
        }
    }

    public boolean contains(int port) {
        return port >= first && port <= last;
    }

    public boolean isAny() {
        return first == 0 && last == 65535;
    }

    @Override
    public String toString() {
        return first == last ? Integer.toString(first) : first + "-" + last;
    }
}
