package io.nfchain.functions.router;

import static io.nfchain.functions.router.RouterHarness.hop;
import static io.nfchain.functions.router.RouterHarness.neighbor;
import static io.nfchain.functions.router.RouterHarness.route;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.nfchain.api.router.v1.AddRoutesRequest;
import io.nfchain.api.router.v1.AddRoutesResponse;
import io.nfchain.api.router.v1.DeleteRoutesRequest;
import io.nfchain.api.router.v1.DeleteRoutesResponse;
import io.nfchain.api.router.v1.ListNeighborsRequest;
import io.nfchain.api.router.v1.ListNeighborsResponse;
import io.nfchain.api.router.v1.ListRoutesRequest;
import io.nfchain.api.router.v1.ListRoutesResponse;
import io.nfchain.api.router.v1.LookupRequest;
import io.nfchain.api.router.v1.LookupResponse;
import io.nfchain.api.router.v1.Route;
import io.nfchain.api.router.v1.SetNeighborsRequest;
import io.nfchain.api.router.v1.SetNeighborsResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The RouterService called in process: validation all or nothing, the field named, paging, lookups. */
class RouterGrpcServiceTest {
    private final RouterHarness h = new RouterHarness();
    private final RouterGrpcService service = new RouterGrpcService(h.router.control(), "router");

    @AfterEach
    void close() {
        h.close();
    }

    /** What one unary call answered: a value or a status. */
    private static final class Answer<T> implements StreamObserver<T> {
        T value;
        Status status;

        @Override
        public void onNext(T v) {
            value = v;
        }

        @Override
        public void onError(Throwable t) {
            status = ((StatusRuntimeException) t).getStatus();
        }

        @Override
        public void onCompleted() {}
    }

    private static <Q, T> Answer<T> call(BiConsumer<Q, StreamObserver<T>> method, Q request) {
        Answer<T> a = new Answer<>();
        method.accept(request, a);
        return a;
    }

    private Answer<AddRoutesResponse> add(Route... routes) {
        return call(service::addRoutes, AddRoutesRequest.newBuilder().addAllRoutes(List.of(routes)).build());
    }

    private void assertInvalid(Answer<?> a, String field) {
        assertEquals(Status.Code.INVALID_ARGUMENT, a.status.getCode(), String.valueOf(a.status));
        assertTrue(a.status.getDescription().startsWith(field + ": "), a.status.getDescription());
    }

    private int routeCount() {
        Answer<ListRoutesResponse> a = call(service::listRoutes, ListRoutesRequest.newBuilder().build());
        return a.value.getRoutesCount();
    }

    @Test
    void refusesABadRouteNamingItsFieldAndAppliesNothing() {
        Route good = route("10.0.0.0/8", hop("198.51.100.2", 1));
        assertInvalid(add(good, good, good, route("10.0.0.0/33", hop("198.51.100.2", 1))), "routes[3].prefix");
        assertInvalid(add(good, route("10.0.0.1/8", hop("198.51.100.2", 1))), "routes[1].prefix");
        assertInvalid(add(route("10.0.0.0/8", hop("198.51.100.2", 7))), "routes[0].next_hops[0].output");
        assertInvalid(add(route("10.0.0.0/8", hop("198.51.100.2", 1), hop("2001:db8::1", 1))),
                "routes[0].next_hops[1].via");
        assertInvalid(add(route("2001:db8::/129", hop("", 1))), "routes[0].prefix");
        assertInvalid(add(route("10.0.0.0/8")), "routes[0].next_hops");
        assertInvalid(add(route("banana", hop("", 1))), "routes[0].prefix");
        assertEquals(0, routeCount(), "nothing half-applied");
        assertEquals(-1, h.router.lpm4().lookup(RouterHarness.v4("10.1.1.1")));

        Answer<SetNeighborsResponse> n = call(service::setNeighbors, SetNeighborsRequest.newBuilder()
                .addNeighbors(neighbor("192.0.2.5", "02:00:00:00:00:05", 0))
                .addNeighbors(neighbor("192.0.2.6", "02:00:00:00:00:zz", 0)).build());
        assertInvalid(n, "neighbors[1].mac");
        Answer<ListNeighborsResponse> list = call(service::listNeighbors, ListNeighborsRequest.getDefaultInstance());
        assertEquals(0, list.value.getNeighborsCount());
    }

    @Test
    void addsReplacesPagesDeletesAndLooksUp() {
        List<Route> routes = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            routes.add(route("10." + i + ".0.0/16", hop("198.51.100.2", 1)));
        }
        routes.add(route("2001:db8:5::/48", hop("2001:db8:1::2", 1), hop("2001:db8:2::2", 2)));
        AddRoutesResponse added = add(routes.toArray(Route[]::new)).value;
        assertEquals(26, added.getAdded());
        assertEquals(25, added.getIpv4Routes());
        assertEquals(1, added.getIpv6Routes());
        assertEquals(1, add(route("10.3.0.0/16", hop("203.0.113.2", 2))).value.getReplaced());

        List<String> listed = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListRoutesResponse page = call(service::listRoutes,
                    ListRoutesRequest.newBuilder().setPageSize(10).setPageToken(token).build()).value;
            page.getRoutesList().forEach(r -> listed.add(r.getPrefix()));
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty());
        assertEquals(3, pages);
        assertEquals(26, listed.size());
        assertEquals("10.0.0.0/16", listed.get(0));
        assertEquals("2001:db8:5::/48", listed.get(25));

        call(service::setNeighbors, SetNeighborsRequest.newBuilder()
                .addNeighbors(neighbor("203.0.113.2", "02:00:00:00:00:c2", 2)).build());
        LookupResponse found = call(service::lookup, LookupRequest.newBuilder().setDestination("10.3.4.5").build()).value;
        assertTrue(found.getFound());
        assertEquals("10.3.0.0/16", found.getRoute().getPrefix());
        assertEquals("203.0.113.2", found.getChosen().getVia());
        assertEquals("02:00:00:00:00:c2", found.getNeighborMac());
        assertTrue(!call(service::lookup, LookupRequest.newBuilder().setDestination("11.0.0.1").build()).value
                .getFound());

        Answer<DeleteRoutesResponse> missing = call(service::deleteRoutes,
                DeleteRoutesRequest.newBuilder().addPrefixes("10.1.0.0/16").addPrefixes("10.99.0.0/16").build());
        assertEquals(Status.Code.NOT_FOUND, missing.status.getCode());
        assertEquals(26, routeCount(), "nothing deleted");
        assertEquals(2, call(service::deleteRoutes, DeleteRoutesRequest.newBuilder().addPrefixes("10.1.0.0/16")
                .addPrefixes("2001:db8:5::/48").build()).value.getDeleted());
        assertEquals(24, routeCount());
        assertEquals(-1, h.router.lpm4().lookup(RouterHarness.v4("10.1.1.1")));
    }

    @Test
    void answersFailedPreconditionWhenTheRunnerHostsAnotherFunction() {
        RouterGrpcService other = new RouterGrpcService(null, "ttl-guard");
        Answer<AddRoutesResponse> a = new Answer<>();
        other.addRoutes(AddRoutesRequest.getDefaultInstance(), a);
        assertEquals(Status.Code.FAILED_PRECONDITION, a.status.getCode());
        assertTrue(a.status.getDescription().contains("ttl-guard"));
    }
}
