package io.nfchain.functions.upf;

import io.nfchain.functions.session.CompiledSession;
import io.nfchain.functions.session.SessionListener;
import io.nfchain.functions.session.SessionModel;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Called on the control thread; the worker reads {@link #epoch()}, {@link #markers()} and
 * {@link #markersNotSent()}. What the upf's worker must hear of session changes: any replace or
 * delete may free buffered packets (a FAR turned FORWARD or DROP, a session gone), so it bumps an
 * epoch the worker checks once a burst; a FAR whose outer header changed (a handover) queues an
 * end marker to the old peer.
 */
final class UpfSessionEvents implements SessionListener {
    private final AtomicInteger epoch = new AtomicInteger();
    private final AtomicLong notSent = new AtomicLong();
    private final EndMarkerQueue markers = new EndMarkerQueue(1024);

    @Override
    public void replaced(CompiledSession before, SessionModel model, CompiledSession after) {
        for (int k = 0; k < before.pdrCount(); k++) {
            int hb = before.pdrHandle(k);
            if (before.hasOuterHeader(hb) && firstWithFar(before, before.farId(hb)) == hb) {
                int ha = firstWithFar(after, before.farId(hb));
                if (ha >= 0 && after.hasOuterHeader(ha) && moved(before, hb, after, ha)) {
                    queue(before, hb);
                }
            }
        }
        epoch.incrementAndGet();
    }

    @Override
    public void deleted(CompiledSession before) {
        epoch.incrementAndGet();
    }

    private void queue(CompiledSession s, int h) {
        boolean v6 = s.outerPeerIsIpv6(h);
        if (!markers.offer(v6, v6 ? s.outerPeerIpv6Hi(h) : 0, v6 ? s.outerPeerIpv6Lo(h) : s.outerPeerIpv4(h) & 0xFFFF_FFFFL,
                s.outerPort(h), s.outerTeid(h))) {
            notSent.incrementAndGet();
        }
    }

    private static boolean moved(CompiledSession a, int ha, CompiledSession b, int hb) {
        if (a.outerTeid(ha) != b.outerTeid(hb) || a.outerPeerIsIpv6(ha) != b.outerPeerIsIpv6(hb)
                || a.outerPort(ha) != b.outerPort(hb)) {
            return true;
        }
        return a.outerPeerIsIpv6(ha)
                ? a.outerPeerIpv6Hi(ha) != b.outerPeerIpv6Hi(hb) || a.outerPeerIpv6Lo(ha) != b.outerPeerIpv6Lo(hb)
                : a.outerPeerIpv4(ha) != b.outerPeerIpv4(hb);
    }

    private static int firstWithFar(CompiledSession s, long farId) {
        for (int k = 0; k < s.pdrCount(); k++) {
            if (s.farId(s.pdrHandle(k)) == farId) {
                return s.pdrHandle(k);
            }
        }
        return -1;
    }

    int epoch() {
        return epoch.get();
    }

    EndMarkerQueue markers() {
        return markers;
    }

    long markersNotSent() {
        return notSent.get();
    }
}
