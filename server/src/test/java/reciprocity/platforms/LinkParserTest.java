package reciprocity.platforms;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Pins down which URLs name a person, and how, so changes to the parser cannot silently re-key stored people. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LinkParserTest {
    private final LinkParser parser = new LinkParser();

    @ParameterizedTest(name = "{0} -> {1} {2} {3}")
    @CsvFileSource(resources = "/platforms/urls.csv", numLinesToSkip = 1)
    void each_url_in_the_table_parses_to_its_row(String url, String platform, String handle, String kind,
            String canonicalUrl) {
        Optional<ParsedLink> got = parser.parse(url);
        if (platform == null) {
            assertEquals(Optional.empty(), got, "expected no person in " + url);
            return;
        }
        ParsedLink expected = new ParsedLink(Platform.fromId(platform).orElseThrow(), handle,
                kind.equals("post") ? LinkKind.POST : LinkKind.PROFILE, canonicalUrl);
        assertEquals(Optional.of(expected), got);
    }

    @ParameterizedTest(name = "{0}")
    @CsvFileSource(resources = "/platforms/urls.csv", numLinesToSkip = 1)
    void a_canonical_url_parses_back_to_the_same_link(String url, String platform, String handle, String kind,
            String canonicalUrl) {
        Optional<ParsedLink> first = parser.parse(url);
        // A remote Mastodon account's profile lives on its own instance, which the caller would list as extra.
        first.ifPresent(link -> assertEquals(first,
                parser.parse(link.canonicalUrl(), Set.of(URI.create(link.canonicalUrl()).getHost()))));
        assertEquals(platform == null, first.isEmpty());
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {
        "not a url", "ftp://x.com/a", "javascript:alert(1)", "mailto:alice@example.com", "alice", "", "   ",
        "https://", "https:///alice", "https:/x.com/alice", "http//x.com/alice", "https://x.com/al ice",
        "https://x.com/al\tice", "data:text/html,hi", "https://x.com:port/alice"
    })
    void text_that_is_not_an_http_url_is_malformed(String text) {
        MalformedUrlException e = assertThrows(MalformedUrlException.class, () -> parser.parse(text));
        assertFalse(e.getMessage().isBlank());
    }

    @Test
    void the_message_for_another_scheme_names_it() {
        MalformedUrlException e = assertThrows(MalformedUrlException.class, () -> parser.parse("ftp://x.com/a"));
        assertTrue(e.getMessage().contains("ftp"), e.getMessage());
        assertTrue(e.getMessage().contains("http"), e.getMessage());
    }

    @Test
    void the_table_covers_every_site_with_at_least_ten_rows() throws Exception {
        List<String> rows;
        try (InputStream in = getClass().getResourceAsStream("/platforms/urls.csv")) {
            rows = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .skip(1).filter(l -> !l.isBlank() && !l.startsWith("#")).collect(Collectors.toList());
        }
        assertTrue(rows.size() >= 160, rows.size() + " rows");
        Map<Platform, Long> perSite = new EnumMap<>(Platform.class);
        for (String row : rows) {
            // A negative row counts for the site whose host it is on.
            parser.parse(row.substring(0, row.indexOf(','))).map(ParsedLink::platform)
                    .or(() -> Arrays.stream(Platform.values())
                            .filter(p -> row.contains(HOST_HINT.get(p))).findFirst())
                    .ifPresent(p -> perSite.merge(p, 1L, Long::sum));
        }
        for (Platform p : Platform.values()) {
            assertTrue(perSite.getOrDefault(p, 0L) >= 10, p + " has " + perSite.get(p) + " rows");
        }
    }

    private static final Map<Platform, String> HOST_HINT = Map.of(
            Platform.X, "x.com/", Platform.LINKEDIN, "linkedin.com/", Platform.FACEBOOK, "facebook.com/",
            Platform.INSTAGRAM, "instagram.com/", Platform.MASTODON, "mastodon.social/", Platform.REDDIT,
            "reddit.com/", Platform.GITHUB, "github.com/", Platform.BLUESKY, "bsky.app/", Platform.THREADS,
            "threads.net/", Platform.YOUTUBE, "youtube.com/");

    @Test
    void null_is_malformed_rather_than_a_null_pointer() {
        assertThrows(MalformedUrlException.class, () -> parser.parse(null));
    }

    /** Decision: people paste links without a scheme, so a dotted host at the start is read as https. */
    @Test
    void a_missing_scheme_is_taken_as_https() {
        ParsedLink alice = new ParsedLink(Platform.X, "alice", LinkKind.PROFILE, "https://x.com/alice");
        assertEquals(Optional.of(alice), parser.parse("x.com/alice"));
        assertEquals(Optional.of(alice), parser.parse("www.twitter.com/Alice?s=20"));
        assertEquals(Optional.of(alice), parser.parse("//x.com/alice"));
        assertEquals(Optional.of(alice), parser.parse("  https://x.com/alice  "));
        assertEquals(Optional.empty(), parser.parse("example.com/alice"));
    }

    @Test
    void input_longer_than_2048_characters_is_malformed_even_on_a_supported_site() {
        String base = "https://x.com/alice?pad=";
        String exactly2048 = base + "a".repeat(LinkParser.MAX_URL_LENGTH - base.length());
        assertEquals("alice", parser.parse(exactly2048).orElseThrow().handle());
        MalformedUrlException e = assertThrows(MalformedUrlException.class, () -> parser.parse(exactly2048 + "a"));
        assertTrue(e.getMessage().contains("2048"), e.getMessage());
    }

    @Test
    void an_unknown_mastodon_instance_counts_only_when_listed_as_extra() {
        String url = "https://social.example.org/@bob";
        assertEquals(Optional.empty(), parser.parse(url));
        assertEquals(Optional.empty(), parser.parse(url, Set.of()));
        ParsedLink bob = new ParsedLink(Platform.MASTODON, "bob@social.example.org", LinkKind.PROFILE,
                "https://social.example.org/@bob");
        assertEquals(Optional.of(bob), parser.parse(url, Set.of("social.example.org")));
        assertEquals(Optional.of(bob), parser.parse(url, Set.of("Social.Example.ORG")));
        assertEquals(Optional.of(bob), parser.parse("https://social.example.org/users/Bob", Set.of("social.example.org")));
        assertEquals("https://social.example.org/@bob/1234",
                parser.parse(url + "/1234", Set.of("social.example.org")).orElseThrow().canonicalUrl());
        assertEquals(Optional.empty(), parser.parse("https://social.example.org/about", Set.of("social.example.org")));
    }

    @Test
    void an_extra_instance_cannot_take_over_a_known_site() {
        assertEquals(Platform.X, parser.parse("https://x.com/alice", Set.of("x.com")).orElseThrow().platform());
    }

    @Test
    void the_known_instances_include_the_big_ones_in_lower_case() {
        assertTrue(LinkParser.KNOWN_MASTODON_INSTANCES.containsAll(Set.of("mastodon.social", "mastodon.online",
                "mstdn.social", "fosstodon.org", "hachyderm.io", "infosec.exchange", "mas.to", "techhub.social",
                "mastodon.world", "universeodon.com")));
        assertTrue(LinkParser.KNOWN_MASTODON_INSTANCES.size() >= 20);
        LinkParser.KNOWN_MASTODON_INSTANCES.forEach(h -> assertEquals(h.toLowerCase(), h));
    }

    @Test
    void a_typed_handle_loses_its_at_sign_and_case() {
        assertAll(
            () -> assertEquals("alice", LinkParser.canonicalHandle(Platform.X, "@Alice")),
            () -> assertEquals("alice", LinkParser.canonicalHandle(Platform.X, "  alice ")),
            () -> assertEquals("bob@mastodon.social", LinkParser.canonicalHandle(Platform.MASTODON, "@Bob@Mastodon.Social")),
            () -> assertEquals("spez", LinkParser.canonicalHandle(Platform.REDDIT, "u/Spez")),
            () -> assertEquals("alice.bsky.social", LinkParser.canonicalHandle(Platform.BLUESKY, "@Alice.bsky.social")),
            () -> assertEquals("did:plc:z72i7hdynmk6r22z27h6tvur",
                    LinkParser.canonicalHandle(Platform.BLUESKY, "did:plc:z72i7hdynmk6r22z27h6tvur")),
            () -> assertEquals("UCX6OQ3DkcsbYNE6H8uQQuVA",
                    LinkParser.canonicalHandle(Platform.YOUTUBE, "UCX6OQ3DkcsbYNE6H8uQQuVA")),
            () -> assertEquals("mrbeast", LinkParser.canonicalHandle(Platform.YOUTUBE, "@MrBeast")),
            () -> assertEquals("100004", LinkParser.canonicalHandle(Platform.FACEBOOK, "100004")),
            () -> assertEquals("octo-cat", LinkParser.canonicalHandle(Platform.GITHUB, "Octo-Cat")));
    }

    @Test
    void a_bad_handle_is_rejected_with_a_message_naming_the_rule() {
        Map<String, String> cases = Map.of(
                "too long", "x:" + "a".repeat(16),
                "'-'", "x:al-ice",
                "user@instance", "mastodon:bob",
                "too short", "reddit:ab",
                "page", "github:settings",
                "domain", "bluesky:alice",
                "at most 100", "linkedin:" + "a".repeat(101),
                "' '", "instagram:jane doe");
        cases.forEach((expectedWords, input) -> {
            int colon = input.indexOf(':');
            Platform p = Platform.fromId(input.substring(0, colon)).orElseThrow();
            InvalidHandleException e = assertThrows(InvalidHandleException.class,
                    () -> LinkParser.canonicalHandle(p, input.substring(colon + 1)), input);
            assertTrue(e.getMessage().contains(expectedWords), input + " -> " + e.getMessage());
        });
    }

    @Test
    void an_empty_handle_or_a_pasted_link_is_rejected() {
        assertThrows(InvalidHandleException.class, () -> LinkParser.canonicalHandle(Platform.X, null));
        assertThrows(InvalidHandleException.class, () -> LinkParser.canonicalHandle(Platform.X, ""));
        assertThrows(InvalidHandleException.class, () -> LinkParser.canonicalHandle(Platform.X, "@"));
        InvalidHandleException e = assertThrows(InvalidHandleException.class,
                () -> LinkParser.canonicalHandle(Platform.X, "https://x.com/alice"));
        assertTrue(e.getMessage().contains("link"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Platform.class)
    void a_profile_url_parses_back_to_its_handle(Platform platform) {
        for (String handle : SAMPLE_HANDLES.get(platform)) {
            String url = LinkParser.profileUrl(platform, handle);
            assertEquals(Optional.of(new ParsedLink(platform, handle, LinkKind.PROFILE, url)), parser.parse(url), url);
        }
    }

    @Test
    void profile_urls_have_the_documented_shape() {
        assertAll(
            () -> assertEquals("https://x.com/alice", LinkParser.profileUrl(Platform.X, "alice")),
            () -> assertEquals("https://mastodon.social/@bob", LinkParser.profileUrl(Platform.MASTODON, "bob@mastodon.social")),
            () -> assertEquals("https://www.facebook.com/profile.php?id=123", LinkParser.profileUrl(Platform.FACEBOOK, "123")),
            () -> assertEquals("https://www.facebook.com/jane.doe", LinkParser.profileUrl(Platform.FACEBOOK, "jane.doe")),
            () -> assertEquals("https://www.youtube.com/channel/UCabcDEF123", LinkParser.profileUrl(Platform.YOUTUBE, "UCabcDEF123")),
            () -> assertEquals("https://www.threads.net/@zuck", LinkParser.profileUrl(Platform.THREADS, "zuck")),
            () -> assertEquals("https://x.com/alice", LinkParser.profileUrl(Platform.X, "@Alice")));
        assertThrows(InvalidHandleException.class, () -> LinkParser.profileUrl(Platform.X, "not valid!"));
    }

    @Test
    void platform_and_kind_ids_are_stable_lower_case_names() {
        assertEquals("x", Platform.X.id());
        assertEquals("linkedin", Platform.LINKEDIN.id());
        assertEquals("youtube", Platform.YOUTUBE.id());
        for (Platform p : Platform.values()) {
            assertEquals(Optional.of(p), Platform.fromId(p.id()));
        }
        assertEquals(Optional.of(Platform.GITHUB), Platform.fromId("GitHub"));
        assertEquals(Optional.empty(), Platform.fromId("myspace"));
        assertEquals(Optional.empty(), Platform.fromId(null));
        assertEquals("profile", LinkKind.PROFILE.id());
        assertEquals("post", LinkKind.POST.id());
    }

    @Test
    void links_split_by_hand_split_as_the_pattern_splits_them() throws Exception {
        List<String> urls;
        try (InputStream in = getClass().getResourceAsStream("/platforms/urls.csv")) {
            urls = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().skip(1)
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> l.substring(0, l.indexOf(',')))
                    .collect(Collectors.toList());
        }
        // Every table URL, then random edits of them with the characters that matter to the pattern.
        String[] pieces = {"@", ":", ":8080", "[", "]", "[::1]", "?", "#", "/", "//", ".", "..", "%40", "-", "_", "A",
            "a", "0", " ", "\t", "\u0085", "\u00e9", "\u2028", "HTTPS://", "http://", "https://", "user@", "&amp;"};
        java.util.Random random = new java.util.Random(11);
        List<String> texts = new java.util.ArrayList<>(urls);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder t = new StringBuilder(urls.get(random.nextInt(urls.size())));
            for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
                int at = random.nextInt(t.length() + 1);
                if (random.nextBoolean() && at < t.length()) t.deleteCharAt(at);
                t.insert(Math.min(at, t.length()), pieces[random.nextInt(pieces.length)]);
            }
            texts.add(t.toString());
        }
        int byHand = 0;
        for (String text : texts) {
            assertEquals(Arrays.toString(LinkParser.patternParts(text)), Arrays.toString(LinkParser.urlParts(text)), text);
            if (LinkParser.patternParts(text) != null) byHand++;
        }
        assertTrue(byHand > 10_000, byHand + " texts were URLs");
        java.util.regex.Pattern hostName = java.util.regex.Pattern.compile("[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.?");
        String[] hostPieces = {"a", "b0", "-", ".", "_", "A", ":", "\u00e9"};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder host = new StringBuilder();
            for (int n = random.nextInt(6); n > 0; n--) host.append(hostPieces[random.nextInt(hostPieces.length)]);
            assertEquals(hostName.matcher(host).matches(), LinkParser.isHostName(host.toString()), host.toString());
        }
    }

    private static final Map<Platform, String[]> SAMPLE_HANDLES = Map.of(
            Platform.X, new String[] {"alice", "a", "bob_99_longname"},
            Platform.LINKEDIN, new String[] {"jane-doe-12345678", "satyanadella"},
            Platform.FACEBOOK, new String[] {"100004", "mark.zuckerberg"},
            Platform.INSTAGRAM, new String[] {"jane.doe_99", "natgeo"},
            Platform.MASTODON, new String[] {"gargron@mastodon.social", "halcy@hachyderm.io"},
            Platform.REDDIT, new String[] {"spez", "some_user-42"},
            Platform.GITHUB, new String[] {"octocat", "api-playground"},
            Platform.BLUESKY, new String[] {"alice.bsky.social", "did:plc:z72i7hdynmk6r22z27h6tvur"},
            Platform.THREADS, new String[] {"zuck", "jane.doe_99"},
            Platform.YOUTUBE, new String[] {"mrbeast", "UCX6OQ3DkcsbYNE6H8uQQuVA", "UCabcDEF123"});
}
