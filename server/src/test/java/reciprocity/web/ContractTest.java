package reciprocity.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reciprocity.client.ApiClient;
import reciprocity.client.ApiException;
import reciprocity.client.api.AccountApi;
import reciprocity.client.api.AuthApi;
import reciprocity.client.api.TokensApi;
import reciprocity.client.model.LoginRequest;
import reciprocity.client.model.Me;
import reciprocity.client.model.RegisterRequest;
import reciprocity.client.model.TokenCreate;
import reciprocity.client.model.TokenCreated;
import reciprocity.client.model.TokenPair;
import reciprocity.support.TestServer;

/** The served routes and openapi.yaml are the same set, and a client generated from the contract works against the server. */
class ContractTest {
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
    void served_routes_and_documented_operations_are_the_same_set() {
        OpenAPI spec = new OpenAPIV3Parser().read(TestServer.SPEC.toString());
        Set<String> documented = new TreeSet<>();
        for (Map.Entry<String, PathItem> e : spec.getPaths().entrySet()) {
            e.getValue().readOperationsMap().keySet().forEach(m -> documented.add(m.name() + " " + e.getKey()));
        }
        Set<String> served = server.app.routes().stream().map(r -> r.method().name() + " " + r.path())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(documented, served);
    }

    @Test
    void every_route_declares_a_role_and_only_system_and_auth_routes_are_public() {
        for (Routes.Route r : server.app.routes()) {
            if (r.role() == Role.PUBLIC) {
                assertTrue(r.path().startsWith("/health") || r.path().startsWith("/docs") || r.path().equals("/metrics")
                        || r.path().equals("/openapi.yaml") || r.path().startsWith("/v1/auth/"), r.path() + " is public");
            }
        }
    }

    @Test
    void a_generated_java_client_registers_signs_in_reads_me_and_uses_a_token() throws Exception {
        ApiClient client = new ApiClient();
        client.updateBaseUri(server.baseUrl());
        AuthApi auth = new AuthApi(client);
        String email = "generated-" + System.nanoTime() + "@example.com";
        TokenPair registered = auth.register(new RegisterRequest().email(email).password("generated client password").displayName("Gen"));
        assertEquals(TokenPair.TokenTypeEnum.BEARER, registered.getTokenType());
        TokenPair session = auth.login(new LoginRequest().email(email).password("generated client password"));

        ApiClient signedIn = new ApiClient();
        signedIn.updateBaseUri(server.baseUrl());
        signedIn.setRequestInterceptor(b -> b.header("Authorization", "Bearer " + session.getAccessToken()));
        Me me = new AccountApi(signedIn).getMe();
        assertEquals(email, me.getEmail());
        assertEquals(48, me.getSettings().getReplyWindowHours());

        TokenCreated pat = new TokensApi(signedIn).createToken(new TokenCreate().name("gen").scopes(List.of(TokenCreate.ScopesEnum.READ)).expiresInDays(7));
        ApiClient withPat = new ApiClient();
        withPat.updateBaseUri(server.baseUrl());
        withPat.setRequestInterceptor(b -> b.header("Authorization", "Bearer " + pat.getToken()));
        assertEquals(me.getId(), new AccountApi(withPat).getMe().getId());
        ApiException denied = assertThrows(ApiException.class, () -> new TokensApi(withPat).listTokens());
        assertEquals(403, denied.getCode());
    }
}
