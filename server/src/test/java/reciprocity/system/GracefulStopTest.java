package reciprocity.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import reciprocity.support.TestServer;

/** Stopping under load: readiness turns 503 at once, and every request already being handled still completes. */
class GracefulStopTest {

    @Test
    void requests_in_flight_when_the_server_stops_all_complete_and_readiness_says_503_meanwhile() throws Exception {
        TestServer server = TestServer.start();
        try {
            // Six users, so their batches run side by side (one user's writes take turns).
            List<TestServer.Session> users = new ArrayList<>();
            for (int i = 0; i < 6; i++) users.add(server.registerLongLived());
            List<Map<String, Object>> items = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                Map<String, Object> item = new HashMap<>();
                item.put("person", Map.of("platform", "x", "handle", "p" + (i % 300)));
                item.put("direction", i % 2 == 0 ? "inbound" : "outbound");
                item.put("kind", "comment");
                items.add(item);
            }
            List<CompletableFuture<Integer>> calls = new ArrayList<>();
            for (TestServer.Session user : users) {
                calls.add(CompletableFuture.supplyAsync(() -> server.as(user.accessToken()).body(Map.of("items", items))
                        .post("/v1/interactions/batch").statusCode()));
            }
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (server.app.inFlight() < 3 && System.nanoTime() < deadline) Thread.sleep(1);
            assertTrue(server.app.inFlight() >= 3, "the load never got going");
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(server.app::close);
            Thread.sleep(50);
            if (!stopping.isDone()) {
                assertEquals(503, server.raw().get("/health/ready").statusCode(), "readiness while draining");
            }
            stopping.get();
            int answered = 0;
            for (CompletableFuture<Integer> call : calls) {
                try {
                    assertEquals(200, (int) call.get(), "a request in flight failed during the stop");
                    answered++;
                } catch (java.util.concurrent.ExecutionException e) {
                    // Only a request that never reached the server (refused after the stop began) may fail.
                    assertTrue(e.getCause() instanceof java.net.ConnectException, "a request was cut off: " + e.getCause());
                }
            }
            assertTrue(answered >= 3, "only " + answered + " requests were answered");
        } finally {
            server.close();
        }
    }
}
