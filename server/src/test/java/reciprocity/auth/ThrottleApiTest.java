package reciprocity.auth;

import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import reciprocity.Config;
import reciprocity.support.TestServer;

/** Failed sign-ins, registrations and API calls are throttled with 429 and Retry-After. */
class ThrottleApiTest {

    private static Config with(Config c, int rateLimit, boolean trustProxy, int loginAttempts, int registrations, boolean open) {
        return new Config(c.port(), c.home(), c.database(), c.jwtSecret(), open, rateLimit, trustProxy, loginAttempts, registrations);
    }

    @Test
    void repeated_failed_logins_for_one_account_get_429_with_retry_after_even_with_the_right_password() {
        try (TestServer server = TestServer.start(c -> with(c, 0, false, 3, 100, true))) {
            TestServer.Session s = server.register();
            for (int i = 0; i < 3; i++) {
                server.api().body(Map.of("email", s.email(), "password", "wrong password " + i)).post("/v1/auth/login")
                        .then().statusCode(401);
            }
            server.api().body(Map.of("email", s.email(), "password", s.password())).post("/v1/auth/login")
                    .then().statusCode(429).header("Retry-After", notNullValue());
        }
    }

    @Test
    void failed_logins_from_one_address_across_accounts_are_throttled() {
        try (TestServer server = TestServer.start(c -> with(c, 0, false, 2, 100, true))) {
            // per-address allowance is five times the per-account one
            for (int i = 0; i < 10; i++) {
                server.api().body(Map.of("email", "nobody" + i + "@example.com", "password", "wrong password")).post("/v1/auth/login")
                        .then().statusCode(401);
            }
            server.api().body(Map.of("email", "nobody-else@example.com", "password", "wrong password")).post("/v1/auth/login")
                    .then().statusCode(429).header("Retry-After", notNullValue());
        }
    }

    @Test
    void x_forwarded_for_is_ignored_unless_trusted() {
        try (TestServer untrusted = TestServer.start(c -> with(c, 0, false, 1, 100, true))) {
            for (int i = 0; i < 5; i++) {
                untrusted.api().header("X-Forwarded-For", "10.0.0." + i).body(Map.of("email", "n" + i + "@example.com", "password", "wrong"))
                        .post("/v1/auth/login");
            }
            untrusted.api().header("X-Forwarded-For", "10.0.0.99").body(Map.of("email", "z@example.com", "password", "wrong"))
                    .post("/v1/auth/login").then().statusCode(429);
        }
        try (TestServer trusted = TestServer.start(c -> with(c, 0, true, 1, 100, true))) {
            for (int i = 0; i < 5; i++) {
                trusted.api().header("X-Forwarded-For", "10.0.0." + i).body(Map.of("email", "n" + i + "@example.com", "password", "wrong"))
                        .post("/v1/auth/login").then().statusCode(401);
            }
        }
    }

    @Test
    void registration_is_limited_per_address() {
        try (TestServer server = TestServer.start(c -> with(c, 0, false, 10, 2, true))) {
            server.register();
            server.register();
            server.api().body(Map.of("email", "third@example.com", "password", "correct horse battery staple", "displayName", "T"))
                    .post("/v1/auth/register").then().statusCode(429).header("Retry-After", notNullValue());
        }
    }

    @Test
    void registration_can_be_closed() {
        try (TestServer server = TestServer.start(c -> with(c, 0, false, 10, 100, false))) {
            server.api().body(Map.of("email", "closed@example.com", "password", "correct horse battery staple", "displayName", "C"))
                    .post("/v1/auth/register").then().statusCode(403);
        }
    }

    @Test
    void authenticated_calls_are_rate_limited_per_user() {
        try (TestServer server = TestServer.start(c -> with(c, 5, false, 10, 100, true))) {
            TestServer.Session a = server.register();
            TestServer.Session b = server.register();
            int ok = 0;
            for (int i = 0; i < 5; i++) {
                if (server.as(a.accessToken()).get("/v1/me").statusCode() == 200) ok++;
            }
            assertEquals(5, ok);
            server.as(a.accessToken()).get("/v1/me").then().statusCode(429).header("Retry-After", notNullValue());
            server.as(b.accessToken()).get("/v1/me").then().statusCode(200);
        }
    }
}
