package reciprocity.system;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reciprocity.support.TestServer;

class SystemApiTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void health_endpoints_answer_without_a_token() {
        server.api().get("/health/live").then().statusCode(200).body("status", equalTo("up"));
        server.api().get("/health/ready").then().statusCode(200).body("status", equalTo("ready"));
    }

    @Test
    void the_spec_and_swagger_ui_are_served_from_the_server() {
        server.api().get("/openapi.yaml").then().statusCode(200).body(containsString("openapi: 3.0.3"));
        server.api().get("/docs").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("/docs/swagger-ui-bundle.js")).body(not(containsString("cdn")));
        server.api().get("/docs/swagger-ui-bundle.js").then().statusCode(200).body(containsString("SwaggerUIBundle"));
        server.api().get("/docs/swagger-ui.css").then().statusCode(200);
        server.api().get("/docs/..%2Fpom.xml").then().statusCode(404);
    }

    @Test
    void metrics_show_requests_per_route_and_pool_usage() throws InterruptedException {
        server.api().get("/health/live").then().statusCode(200);
        // A request is counted just after its response is sent: give the count a moment to land.
        for (int i = 0; i < 100 && !server.api().get("/metrics").asString().contains("route=\"/health/live\""); i++) {
            Thread.sleep(20);
        }
        server.api().get("/metrics").then().statusCode(200)
                .body(containsString("http_server_requests_seconds_count{method=\"GET\",route=\"/health/live\",status=\"200\"}"))
                .body(containsString("hikaricp_connections_active"))
                .body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void an_id_that_is_not_a_positive_whole_number_is_a_404_saying_what_ids_are() {
        String token = server.register().accessToken();
        Map<String, String> shown = Map.of("/v1/imports/abc", "abc", "/v1/contacts/-1", "-1", "/v1/interactions/0", "0",
                "/v1/connectors/1e3", "1e3", "/v1/contacts/99999999999999999999", "99999999999999999999",
                "/v1/interactions/" + "9".repeat(60), "9".repeat(40) + "…");
        shown.forEach((path, id) -> server.rawAs(token).get(path).then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("Nothing has the id `" + id + "`: ids are positive whole numbers, as the API gives them")));
    }

    @Test
    void unknown_paths_and_methods_are_problem_json() {
        server.raw().get("/v1/nothing-here").then().statusCode(404).contentType("application/problem+json")
                .body("status", equalTo(404));
    }

    @Test
    void bodies_over_256_kib_are_413() {
        String big = "x".repeat(300 * 1024);
        server.raw().body(Map.of("email", big, "password", "y")).post("/v1/auth/login").then().statusCode(413)
                .contentType("application/problem+json");
    }

    @Test
    void errors_carry_no_stack_traces_or_class_names() {
        String body = server.raw().body("{\"email\": [[[[").post("/v1/auth/login").then().statusCode(400).extract().asString();
        assertFalse(body.contains("Exception"), body);
        assertFalse(body.contains("com.fasterxml"), body);
        assertFalse(body.contains("\tat "), body);
    }

    @Test
    void deeply_nested_json_is_a_400_not_a_crash() {
        String deep = "{\"email\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        server.raw().body(deep).post("/v1/auth/login").then().statusCode(400).header("Content-Type", notNullValue());
    }
}
