package io.nfchain.functions.upf;

import io.nfchain.functions.charging.ChargingConfig;
import io.nfchain.functions.charging.ChargingProvider;
import io.nfchain.functions.qos.QosConfig;
import io.nfchain.functions.qos.QosProvider;
import io.nfchain.functions.runner.FunctionConfig;
import io.nfchain.functions.runner.FunctionProvider;
import io.nfchain.functions.sdk.NetworkFunction;
import io.nfchain.functions.session.SharedSessions;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Lets the runner host the whole user plane in one process: {@code nfchain.function.type=upf+qos+charging}
 * runs upf, qos and charging as the stages of one poll loop ({@link io.nfchain.functions.sdk.FunctionWorker}),
 * each configured as when it runs alone ({@link UpfConfig}, {@link QosConfig}, {@link ChargingConfig}),
 * over one session table ({@link SharedSessions}): an ApplySessions installs a session once for
 * all three, and the upf's match of each packet is the answer qos and charging use. The table
 * holds {@code nfchain.upf.max-sessions} sessions, twice as many QER slots, and
 * {@code nfchain.charging.max-urrs} URR slots; the qos and charging {@code max-sessions} do not
 * apply. Charging is the last stage, so its usage is counted around the transmit and stays exact
 * across a crash as it does alone (link 0's region file).
 */
@Singleton
public class UserPlaneProvider implements FunctionProvider {
    public static final String TYPE = "upf+qos+charging";

    private final UpfConfig upf;
    private final QosConfig qos;
    private final ChargingConfig charging;
    private final ChargingProvider chargingProvider;
    private final FunctionConfig function;

    UserPlaneProvider(UpfConfig upf, QosConfig qos, ChargingConfig charging, ChargingProvider chargingProvider,
            FunctionConfig function) {
        this.upf = upf;
        this.qos = qos;
        this.charging = charging;
        this.chargingProvider = chargingProvider;
        this.function = function;
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** Not one function: the runner asks for {@link #createStages()}. */
    @Override
    public NetworkFunction<?> create() {
        throw new UnsupportedOperationException(TYPE + " is a pipeline of three functions: use createStages()");
    }

    /** upf, qos and charging over one session table, with no sessions yet. */
    @Override
    public List<NetworkFunction<?>> createStages() {
        UpfSettings settings = UpfSettings.from(upf);
        ChargingProvider.check(charging); // before its max-urrs sizes the shared table
        SharedSessions shared = new SharedSessions(settings.maxSessions(), 2 * settings.maxSessions(), charging.maxUrrs(),
                function.burstSize());
        UpfFunction first = new UpfFunction(settings, shared);
        return List.of(first, QosProvider.create(qos, shared), chargingProvider.create(shared));
    }
}
