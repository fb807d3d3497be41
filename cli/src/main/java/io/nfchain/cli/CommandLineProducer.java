package io.nfchain.cli;

import io.quarkus.picocli.runtime.PicocliCommandLineFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import picocli.CommandLine;

/** Thread-safe (stateless). Hands Quarkus's picocli runner the same command line {@link Nfchainctl#execute} builds. */
@ApplicationScoped
class CommandLineProducer {
    @Produces
    CommandLine commandLine(PicocliCommandLineFactory factory) {
        return Nfchainctl.configure(factory.create(), System.getenv(),
                System.console() != null && System.console().isTerminal());
    }
}
