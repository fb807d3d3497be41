package io.nfchain.cli;

/**
 * Immutable. Where the agent's gRPC endpoint is: {@code host:port}, {@code [v6]:port}, or a bare
 * host (port 9190, the agent's default).
 *
 * @param host a name or an address, without brackets
 * @param port 1..65535
 */
public record AgentAddress(String host, int port) {
    /** The agent's gRPC (and HTTP) port when nothing else is configured. */
    public static final int DEFAULT_PORT = 9190;

    /** Where the CLI looks when neither {@code --agent} nor {@code NFCHAIN_AGENT} says. */
    public static final String DEFAULT = "localhost:" + DEFAULT_PORT;

    /** Parses {@code text}; a bad address raises {@link IllegalArgumentException} saying what is wrong. */
    public static AgentAddress parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("agent address is empty (want host:port)");
        }
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + text + "': '[' without ']' (want [v6-address]:port)");
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw new IllegalArgumentException("'" + text + "': after ']' comes ':port'");
            }
            port = rest.isEmpty() ? null : rest.substring(1);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon >= 0 && text.indexOf(':') != colon) {
                throw new IllegalArgumentException("'" + text + "': an IPv6 address goes in brackets, [::1]:9190");
            }
            host = colon < 0 ? text : text.substring(0, colon);
            port = colon < 0 ? null : text.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "': no host");
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-'
                    || c == '_' || c == ':' || c == '%';
            if (!ok) {
                throw new IllegalArgumentException("'" + text + "': '" + c + "' cannot be in a host name");
            }
        }
        return new AgentAddress(host, port == null ? DEFAULT_PORT : port(text, port));
    }

    private static int port(String text, String port) {
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("'" + text + "': port '" + port + "' is not a number 1..65535");
        }
        int value = Integer.parseInt(port);
        if (value < 1 || value > 65535) {
            throw new IllegalArgumentException("'" + text + "': port " + value + " is not in 1..65535");
        }
        return value;
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
