package reciprocity.platforms;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises the person (and, for posts, the item) behind a social URL, so that the many ways one link can be written
 * (hosts, case, tracking parameters, trailing tabs) collapse to one platform + handle key.
 *
 * <p>Runs on every page view: everything costly is built once in static fields, nothing touches the network, and a URL
 * that is simply not about a person returns empty rather than throwing. Decisions worth knowing:
 * <ul>
 *   <li>Text without a scheme that starts with a dotted host name ({@code x.com/alice}, {@code //x.com/alice}) is read
 *       as https, because people paste links that way; any other scheme (ftp:, javascript:, mailto:) is malformed.</li>
 *   <li>GitHub {@code owner/repo/...} URLs are not people: the repository names its owner, not whoever commented there.
 *       Only {@code github.com/user} (a profile) and {@code gist.github.com/user/id} (a post by user) are.</li>
 *   <li>Comment permalinks inside a Reddit user-profile thread are truncated to the thread, whose author is the user.</li>
 *   <li>YouTube legacy {@code /user/name} and {@code /c/name} map to handle {@code name}, i.e. {@code /@name}, which is
 *       what YouTube did for most legacy names; bare {@code youtube.com/name} is empty because it collides with the
 *       site's own pages.</li>
 *   <li>A URL on a non-default port is not the public site, so it is empty.</li>
 * </ul>
 */
public final class LinkParser {
    public static final int MAX_URL_LENGTH = 2048;

    /** Big Mastodon servers recognised without configuration; others come through the extra-instances argument. */
    public static final Set<String> KNOWN_MASTODON_INSTANCES = Set.of(
            "mastodon.social", "mastodon.online", "mstdn.social", "fosstodon.org", "hachyderm.io",
            "infosec.exchange", "mas.to", "techhub.social", "mastodon.world", "universeodon.com", "mastodon.art",
            "mastodon.cloud", "mstdn.jp", "pawoo.net", "mastodonapp.uk", "mastodon.scot", "aus.social",
            "mastodon.ie", "masto.ai", "social.vivaldi.net", "troet.cafe", "chaos.social", "ioc.exchange",
            "mindly.social", "sfba.social", "toot.community", "mathstodon.xyz", "mastodon.gamedev.place",
            "kolektiva.social", "det.social");

    // The parts of an absolute http(s) URL; userinfo is skipped so "x.com@evil.example" is read as evil.example.
    private static final Pattern URL = Pattern.compile(
            "(?i)(https?)://(?:[^/?#@]*@)?(\\[[0-9a-f:.]+]|[^/?#:@\\[\\]]+)(?::([0-9]{0,5}))?(/[^?#]*)?"
                    + "(?:\\?([^#]*))?(?:#(.*))?");
    private static final Pattern SCHEME_LESS = Pattern.compile(
            "(?://)?[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+\\.?(?::[0-9]{1,5})?(?:[/?#].*)?");
    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):.*");

    private static final Pattern NUMERIC_ID = Pattern.compile("[0-9]{1,20}");
    private static final Pattern BASE36_ID = Pattern.compile("[A-Za-z0-9]{1,12}");
    private static final Pattern HEX_ID = Pattern.compile("[0-9a-fA-F]{1,40}");
    private static final Pattern GIST_ONLY_ID = Pattern.compile("[0-9]+|[0-9a-f]{20,}");
    private static final Pattern ALNUM_ID = Pattern.compile("[A-Za-z0-9]{1,100}");
    private static final Pattern SHORTCODE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern BLUESKY_RKEY = Pattern.compile("[A-Za-z0-9._:~-]{1,512}");
    // The part of a LinkedIn /posts/ slug after the author; kept as written (still percent-encoded).
    private static final Pattern LINKEDIN_POST_REST = Pattern.compile("[A-Za-z0-9_.~%-]{1,400}");

    /** Host (lower-case, no trailing dot) to platform; Mastodon hosts are looked up separately. */
    private static final Map<String, Platform> HOSTS = Map.ofEntries(
            Map.entry("x.com", Platform.X), Map.entry("www.x.com", Platform.X),
            Map.entry("mobile.x.com", Platform.X), Map.entry("m.x.com", Platform.X),
            Map.entry("twitter.com", Platform.X), Map.entry("www.twitter.com", Platform.X),
            Map.entry("mobile.twitter.com", Platform.X), Map.entry("m.twitter.com", Platform.X),
            Map.entry("linkedin.com", Platform.LINKEDIN), Map.entry("www.linkedin.com", Platform.LINKEDIN),
            Map.entry("m.linkedin.com", Platform.LINKEDIN),
            Map.entry("facebook.com", Platform.FACEBOOK), Map.entry("www.facebook.com", Platform.FACEBOOK),
            Map.entry("m.facebook.com", Platform.FACEBOOK), Map.entry("mbasic.facebook.com", Platform.FACEBOOK),
            Map.entry("web.facebook.com", Platform.FACEBOOK), Map.entry("touch.facebook.com", Platform.FACEBOOK),
            Map.entry("instagram.com", Platform.INSTAGRAM), Map.entry("www.instagram.com", Platform.INSTAGRAM),
            Map.entry("m.instagram.com", Platform.INSTAGRAM),
            Map.entry("reddit.com", Platform.REDDIT), Map.entry("www.reddit.com", Platform.REDDIT),
            Map.entry("old.reddit.com", Platform.REDDIT), Map.entry("new.reddit.com", Platform.REDDIT),
            Map.entry("np.reddit.com", Platform.REDDIT), Map.entry("m.reddit.com", Platform.REDDIT),
            Map.entry("github.com", Platform.GITHUB), Map.entry("www.github.com", Platform.GITHUB),
            Map.entry("gist.github.com", Platform.GITHUB),
            Map.entry("bsky.app", Platform.BLUESKY), Map.entry("www.bsky.app", Platform.BLUESKY),
            Map.entry("threads.net", Platform.THREADS), Map.entry("www.threads.net", Platform.THREADS),
            Map.entry("threads.com", Platform.THREADS), Map.entry("www.threads.com", Platform.THREADS),
            Map.entry("youtube.com", Platform.YOUTUBE), Map.entry("www.youtube.com", Platform.YOUTUBE),
            Map.entry("m.youtube.com", Platform.YOUTUBE));

    private static final String LINKEDIN_DOMAIN = ".linkedin.com";
    // Only path segments up to this index are ever looked at.
    private static final int MAX_SEGMENTS = 6;
    private static final String[] NO_SEGMENTS = new String[0];

    public LinkParser() {}

    /**
     * Empty when the URL is well-formed but is not a person or a person's item on a supported site
     * (x.com/home, github.com/settings, example.com/...).
     *
     * @param extraMastodonInstances further Mastodon hosts to recognise (case-insensitive), on top of
     *     {@link #KNOWN_MASTODON_INSTANCES}
     * @throws MalformedUrlException when the text is not an absolute http(s) URL, or is longer than 2048 chars
     */
    public Optional<ParsedLink> parse(String url, Set<String> extraMastodonInstances) {
        return Optional.ofNullable(parseOrNull(url, extraMastodonInstances == null ? Set.of() : extraMastodonInstances));
    }

    public Optional<ParsedLink> parse(String url) {
        return parse(url, Set.of());
    }

    /**
     * Canonical form of a handle typed by a person ("@Alice" -> "alice" on X).
     *
     * @throws InvalidHandleException naming the rule broken (too long, bad characters); Mastodon handles must be
     *     user@instance
     */
    public static String canonicalHandle(Platform platform, String handle) {
        Objects.requireNonNull(platform, "platform");
        if (handle == null || handle.isBlank()) {
            throw new InvalidHandleException("A " + Handles.siteName(platform) + " handle is needed but none was given.");
        }
        String h = handle.strip();
        if (h.contains("://")) {
            throw new InvalidHandleException("'" + h + "' is a link, not a handle: type just the "
                    + Handles.siteName(platform) + " handle, or paste the link where links are accepted.");
        }
        if (h.startsWith("@")) {
            h = h.substring(1);
        }
        if (platform == Platform.REDDIT) {
            // People write Reddit users as u/name.
            if (h.startsWith("/u/")) {
                h = h.substring(3);
            } else if (h.startsWith("u/")) {
                h = h.substring(2);
            }
        }
        if (h.isEmpty()) {
            throw new InvalidHandleException("A " + Handles.siteName(platform) + " handle is needed but only '@' was given.");
        }
        String canonical = Handles.canonicalCase(platform, h);
        String problem = Handles.problem(platform, canonical);
        if (problem != null) {
            throw new InvalidHandleException(problem);
        }
        return canonical;
    }

    /**
     * The canonical profile URL of a canonical handle, e.g. https://x.com/alice, https://mastodon.social/@bob,
     * https://www.facebook.com/profile.php?id=123. A handle as a person typed it ("@Alice") is canonicalised first.
     *
     * @throws InvalidHandleException when the handle breaks the platform's rules
     */
    public static String profileUrl(Platform platform, String canonicalHandle) {
        String h = canonicalHandle != null && Handles.isValid(platform, canonicalHandle)
                ? canonicalHandle
                : canonicalHandle(platform, canonicalHandle);
        return profileUrlOf(platform, h);
    }

    private static String profileUrlOf(Platform p, String h) {
        switch (p) {
            case X:
                return "https://x.com/" + h;
            case LINKEDIN:
                return "https://www.linkedin.com/in/" + h;
            case FACEBOOK:
                return NUMERIC_ID.matcher(h).matches()
                        ? "https://www.facebook.com/profile.php?id=" + h
                        : "https://www.facebook.com/" + h;
            case INSTAGRAM:
                return "https://www.instagram.com/" + h;
            case MASTODON: {
                int at = h.indexOf('@');
                return "https://" + h.substring(at + 1) + "/@" + h.substring(0, at);
            }
            case REDDIT:
                return "https://www.reddit.com/user/" + h;
            case GITHUB:
                return "https://github.com/" + h;
            case BLUESKY:
                return "https://bsky.app/profile/" + h;
            case THREADS:
                return "https://www.threads.net/@" + h;
            case YOUTUBE:
                return Handles.isYoutubeChannelId(h)
                        ? "https://www.youtube.com/channel/" + h
                        : "https://www.youtube.com/@" + h;
            default:
                throw new IllegalStateException("no profile URL for " + p);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static ParsedLink parseOrNull(String url, Set<String> extraMastodon) {
        if (url == null) {
            throw new MalformedUrlException("No link was given.");
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw new MalformedUrlException("The link is " + url.length() + " characters long; links longer than "
                    + MAX_URL_LENGTH + " characters are not accepted.");
        }
        String text = url.strip();
        if (text.isEmpty()) {
            throw new MalformedUrlException("No link was given.");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                throw new MalformedUrlException("'" + printable(text)
                        + "' is not a link: it contains spaces or control characters.");
            }
        }
        String[] parts = urlParts(text);
        if (parts == null) {
            if (SCHEME_LESS.matcher(text).matches()) {
                parts = urlParts(text.startsWith("//") ? "https:" + text : "https://" + text);
                if (parts == null) {
                    throw notAUrl(text);
                }
            } else {
                Matcher scheme = SCHEME.matcher(text);
                if (scheme.matches() && !scheme.group(1).equalsIgnoreCase("http")
                        && !scheme.group(1).equalsIgnoreCase("https")) {
                    throw new MalformedUrlException("'" + printable(text) + "' is a " + scheme.group(1)
                            + ": link; only http and https web links are accepted.");
                }
                throw notAUrl(text);
            }
        }
        String host = parts[0].toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (!isHostName(host)) {
            return null; // an IP address or international domain: a valid URL, never one of ours
        }
        String port = parts[1];
        if (port != null && !port.isEmpty() && !port.equals("443") && !port.equals("80")) {
            return null;
        }
        Platform platform = HOSTS.get(host);
        if (platform == null) {
            if (isMastodonHost(host, extraMastodon)) {
                platform = Platform.MASTODON;
            } else if (host.endsWith(LINKEDIN_DOMAIN) && host.length() == LINKEDIN_DOMAIN.length() + 2) {
                platform = Platform.LINKEDIN; // country hosts such as uk.linkedin.com
            } else {
                return null;
            }
        }
        String[] s = parts[2] == null ? NO_SEGMENTS : segments(parts[2]);
        String query = parts[3];
        switch (platform) {
            case X:
                return parseX(s, parts[4]);
            case LINKEDIN:
                return parseLinkedIn(s);
            case FACEBOOK:
                return parseFacebook(s, query);
            case INSTAGRAM:
                return parseInstagram(s);
            case MASTODON:
                return parseMastodon(host, s);
            case REDDIT:
                return parseReddit(s);
            case GITHUB:
                return host.equals("gist.github.com") ? parseGist(s) : parseGithub(s);
            case BLUESKY:
                return parseBluesky(s);
            case THREADS:
                return parseThreads(s);
            case YOUTUBE:
                return parseYoutube(s);
            default:
                return null;
        }
    }

    /**
     * The host, port, path, query and fragment of an absolute http(s) URL, each null when absent, as {@link #URL}'s
     * groups 2 to 6 have them; null when the text is no such URL. Plain links (a lower-case scheme and host, no userinfo
     * or port, printable ASCII only), which is what pages hold, are split by hand as the pattern would split them:
     * nothing there can start userinfo, a port or an IP literal, so the host ends at the first '/', '?' or '#', the
     * path at the next '?' or '#', and the query at the next '#'. Anything else goes through the pattern.
     */
    static String[] urlParts(String text) {
        int host = text.startsWith("https://") ? 8 : text.startsWith("http://") ? 7 : -1;
        if (host >= 0) {
            int n = text.length();
            int end = host;
            while (end < n && isHostChar(text.charAt(end))) end++;
            char next = end < n ? text.charAt(end) : '/';
            if (end > host && (next == '/' || next == '?' || next == '#') && isPlain(text, end)) {
                int query = text.indexOf('?', end), fragment = text.indexOf('#', end);
                if (query > fragment && fragment >= 0) query = -1; // a '?' after the '#' is part of the fragment
                int pathEnd = query >= 0 ? query : fragment >= 0 ? fragment : n;
                return new String[] {text.substring(host, end), null, pathEnd > end ? text.substring(end, pathEnd) : null,
                        query >= 0 ? text.substring(query + 1, fragment >= 0 ? fragment : n) : null,
                        fragment >= 0 ? text.substring(fragment + 1) : null};
            }
        }
        return patternParts(text);
    }

    /** {@link #urlParts} through the pattern alone. */
    static String[] patternParts(String text) {
        Matcher m = URL.matcher(text);
        return m.matches() ? new String[] {m.group(2), m.group(3), m.group(4), m.group(5), m.group(6)} : null;
    }

    private static boolean isHostChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    }

    /** Whether the text from {@code from} on is printable ASCII without spaces. */
    private static boolean isPlain(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c >= 0x7f) return false;
        }
        return true;
    }

    /**
     * Whether a lower-cased host is a host name, i.e. matches {@code [a-z0-9-]+(?:\.[a-z0-9-]+)*\.?}: labels of letters,
     * digits and hyphens, joined by single dots, with at most one dot at the end.
     */
    static boolean isHostName(String host) {
        if (host.isEmpty() || host.charAt(0) == '.') return false;
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c == '.' ? host.charAt(i - 1) == '.' : !isHostChar(c)) return false;
        }
        return true;
    }

    private static MalformedUrlException notAUrl(String text) {
        return new MalformedUrlException("'" + printable(text)
                + "' is not a web link: expected something like https://x.com/alice.");
    }

    /** Keeps messages readable when the input is huge or full of control characters. */
    private static String printable(String text) {
        String shown = text.length() > 80 ? text.substring(0, 77) + "..." : text;
        StringBuilder b = new StringBuilder(shown.length());
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            b.append(c < ' ' || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }

    private static boolean isMastodonHost(String host, Set<String> extra) {
        if (KNOWN_MASTODON_INSTANCES.contains(host) || extra.contains(host)) {
            return true;
        }
        for (String e : extra) { // callers may pass hosts as people typed them
            if (e != null && e.strip().equalsIgnoreCase(host)) {
                return true;
            }
        }
        return false;
    }

    private static ParsedLink parseX(String[] s, String fragment) {
        if (s.length == 0 && fragment != null && fragment.startsWith("!/")) {
            // Pre-2012 links: twitter.com/#!/alice/status/1
            int q = fragment.indexOf('?');
            s = segments(q < 0 ? fragment.substring(1) : fragment.substring(1, q));
        }
        if (s.length == 0) {
            return null;
        }
        String h = lower(s[0]);
        if (!Handles.isValid(Platform.X, h)) {
            return null;
        }
        if (s.length >= 3 && (s[1].equalsIgnoreCase("status") || s[1].equalsIgnoreCase("statuses"))
                && NUMERIC_ID.matcher(s[2]).matches()) {
            return post(Platform.X, h, "https://x.com/" + h + "/status/" + s[2]);
        }
        return profile(Platform.X, h);
    }

    private static ParsedLink parseLinkedIn(String[] s) {
        if (s.length < 2) {
            return null;
        }
        String first = s[0];
        if (first.equalsIgnoreCase("in")) {
            return profileIfValid(Platform.LINKEDIN, lower(s[1]));
        }
        if (first.equalsIgnoreCase("today") && s.length >= 3 && s[1].equalsIgnoreCase("author")) {
            return profileIfValid(Platform.LINKEDIN, lower(s[2])); // Pulse author pages use the profile slug
        }
        if (first.equalsIgnoreCase("posts")) {
            // /posts/<author>_<title words>-activity-<id>-<hash>; profile slugs never contain '_'.
            String slug = s[1];
            int u = slug.indexOf('_');
            if (u <= 0) {
                return null;
            }
            String h = lower(slug.substring(0, u));
            String rest = slug.substring(u + 1);
            if (!Handles.isValid(Platform.LINKEDIN, h) || !LINKEDIN_POST_REST.matcher(rest).matches()) {
                return null;
            }
            return post(Platform.LINKEDIN, h, "https://www.linkedin.com/posts/" + h + "_" + rest);
        }
        return null;
    }

    private static ParsedLink parseFacebook(String[] s, String query) {
        if (s.length == 0) {
            return null;
        }
        String first = lower(s[0]);
        switch (first) {
            case "profile.php":
                return profileIfNumeric(Platform.FACEBOOK, queryParam(query, "id"));
            case "people":
                return s.length >= 3 ? profileIfNumeric(Platform.FACEBOOK, s[2]) : null;
            case "permalink.php":
            case "story.php": {
                String story = queryParam(query, "story_fbid");
                String id = queryParam(query, "id");
                if (story == null || id == null || !ALNUM_ID.matcher(story).matches()
                        || !NUMERIC_ID.matcher(id).matches()) {
                    return null;
                }
                return post(Platform.FACEBOOK, id,
                        "https://www.facebook.com/permalink.php?story_fbid=" + story + "&id=" + id);
            }
            default:
                break;
        }
        if (!Handles.isValid(Platform.FACEBOOK, first)) {
            return null;
        }
        if (s.length >= 3 && s[1].equalsIgnoreCase("posts") && ALNUM_ID.matcher(s[2]).matches()) {
            return post(Platform.FACEBOOK, first, "https://www.facebook.com/" + first + "/posts/" + s[2]);
        }
        return profile(Platform.FACEBOOK, first);
    }

    private static ParsedLink parseInstagram(String[] s) {
        if (s.length == 0) {
            return null;
        }
        if (s[0].equalsIgnoreCase("stories")) {
            if (s.length < 2) {
                return null;
            }
            String h = lower(s[1]);
            if (h.equals("highlights") || !Handles.isValid(Platform.INSTAGRAM, h)) {
                return null;
            }
            if (s.length >= 3 && NUMERIC_ID.matcher(s[2]).matches()) {
                return post(Platform.INSTAGRAM, h, "https://www.instagram.com/stories/" + h + "/" + s[2]);
            }
            return profile(Platform.INSTAGRAM, h);
        }
        String h = lower(s[0]);
        if (!Handles.isValid(Platform.INSTAGRAM, h)) {
            return null; // includes /p/ and /reel/, which do not name their author
        }
        if (s.length >= 3 && SHORTCODE.matcher(s[2]).matches()) {
            // Newer share links carry the author: /alice/p/<code>, /alice/reel/<code>
            String type = lower(s[1]);
            if (type.equals("p") || type.equals("reel")) {
                return post(Platform.INSTAGRAM, h, "https://www.instagram.com/" + h + "/" + type + "/" + s[2]);
            }
        }
        return profile(Platform.INSTAGRAM, h);
    }

    private static ParsedLink parseMastodon(String host, String[] s) {
        if (s.length == 0) {
            return null;
        }
        String acct;
        int next;
        boolean usersPath = false;
        String first = decode(s[0]);
        if (first.startsWith("@")) {
            acct = first.substring(1);
            next = 1;
        } else if (s.length >= 2 && first.equalsIgnoreCase("users")) {
            acct = decode(s[1]);
            next = 2;
            usersPath = true;
        } else if (s.length >= 2 && first.equalsIgnoreCase("web") && decode(s[1]).startsWith("@")) {
            acct = decode(s[1]).substring(1); // old web-app links: /web/@alice
            next = 2;
        } else {
            return null;
        }
        acct = lower(acct);
        int at = acct.indexOf('@');
        if (usersPath && at >= 0) {
            return null;
        }
        String user = at < 0 ? acct : acct.substring(0, at);
        String domain = at < 0 ? host : acct.substring(at + 1);
        String handle = at < 0 ? acct + "@" + host : acct;
        if (!Handles.isValid(Platform.MASTODON, handle)) {
            return null;
        }
        if (usersPath) {
            if (s.length >= 4 && s[2].equalsIgnoreCase("statuses") && NUMERIC_ID.matcher(s[3]).matches()) {
                return post(Platform.MASTODON, handle, "https://" + host + "/@" + user + "/" + s[3]);
            }
            return profile(Platform.MASTODON, handle);
        }
        if (s.length > next && NUMERIC_ID.matcher(s[next]).matches()) {
            // The status id belongs to the server we are on, so the post URL stays on this host.
            String who = domain.equals(host) ? user : handle;
            return post(Platform.MASTODON, handle, "https://" + host + "/@" + who + "/" + s[next]);
        }
        return profile(Platform.MASTODON, handle);
    }

    private static ParsedLink parseReddit(String[] s) {
        if (s.length < 2 || !(s[0].equalsIgnoreCase("u") || s[0].equalsIgnoreCase("user"))) {
            return null; // subreddit threads do not name their author in the URL
        }
        String h = lower(s[1]);
        if (!Handles.isValid(Platform.REDDIT, h)) {
            return null;
        }
        if (s.length >= 4 && s[2].equalsIgnoreCase("comments") && BASE36_ID.matcher(s[3]).matches()) {
            return post(Platform.REDDIT, h, "https://www.reddit.com/user/" + h + "/comments/" + lower(s[3]));
        }
        return profile(Platform.REDDIT, h);
    }

    private static ParsedLink parseGithub(String[] s) {
        // Exactly one segment: deeper paths are repositories, which name their owner rather than a commenter.
        return s.length == 1 ? profileIfValid(Platform.GITHUB, lower(s[0])) : null;
    }

    private static ParsedLink parseGist(String[] s) {
        if (s.length == 0) {
            return null;
        }
        String h = lower(s[0]);
        if (s.length == 1 && GIST_ONLY_ID.matcher(h).matches()) {
            return null; // gist.github.com/<id> does not say whose gist it is
        }
        if (!Handles.isValid(Platform.GITHUB, h)) {
            return null;
        }
        if (s.length == 1) {
            return profile(Platform.GITHUB, h);
        }
        if (HEX_ID.matcher(s[1]).matches()) {
            return post(Platform.GITHUB, h, "https://gist.github.com/" + h + "/" + lower(s[1]));
        }
        return null;
    }

    private static ParsedLink parseBluesky(String[] s) {
        if (s.length < 2 || !s[0].equalsIgnoreCase("profile")) {
            return null;
        }
        String h = Handles.canonicalCase(Platform.BLUESKY, decode(s[1]));
        if (!Handles.isValid(Platform.BLUESKY, h)) {
            return null;
        }
        if (s.length >= 3) {
            String type = lower(s[2]);
            if (type.equals("post") && s.length >= 4) {
                return BLUESKY_RKEY.matcher(s[3]).matches()
                        ? post(Platform.BLUESKY, h, "https://bsky.app/profile/" + h + "/post/" + s[3])
                        : null;
            }
            if (type.equals("feed") || type.equals("lists")) {
                return null; // a feed or list the person made, not the person
            }
        }
        return profile(Platform.BLUESKY, h);
    }

    private static ParsedLink parseThreads(String[] s) {
        if (s.length == 0) {
            return null;
        }
        String first = decode(s[0]);
        if (!first.startsWith("@")) {
            return null;
        }
        String h = lower(first.substring(1));
        if (!Handles.isValid(Platform.THREADS, h)) {
            return null;
        }
        if (s.length >= 3 && s[1].equalsIgnoreCase("post") && SHORTCODE.matcher(s[2]).matches()) {
            return post(Platform.THREADS, h, "https://www.threads.net/@" + h + "/post/" + s[2]);
        }
        return profile(Platform.THREADS, h);
    }

    private static ParsedLink parseYoutube(String[] s) {
        if (s.length == 0) {
            return null;
        }
        String first = decode(s[0]);
        if (first.startsWith("@")) {
            // lower() makes the handle unambiguous with channel ids, which start with an upper-case "UC".
            return profileIfValid(Platform.YOUTUBE, lower(first.substring(1)));
        }
        if (s.length < 2) {
            return null;
        }
        if (first.equalsIgnoreCase("channel")) {
            return Handles.isYoutubeChannelId(s[1]) ? profile(Platform.YOUTUBE, s[1]) : null;
        }
        if (first.equalsIgnoreCase("user") || first.equalsIgnoreCase("c")) {
            return profileIfValid(Platform.YOUTUBE, lower(s[1]));
        }
        return null; // watch?v=, /shorts/, /playlist, ... do not name their author
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static ParsedLink profile(Platform p, String h) {
        return new ParsedLink(p, h, LinkKind.PROFILE, profileUrlOf(p, h));
    }

    private static ParsedLink profileIfValid(Platform p, String h) {
        return Handles.isValid(p, h) ? profile(p, h) : null;
    }

    private static ParsedLink profileIfNumeric(Platform p, String id) {
        return id != null && NUMERIC_ID.matcher(id).matches() ? profile(p, id) : null;
    }

    private static ParsedLink post(Platform p, String h, String url) {
        return new ParsedLink(p, h, LinkKind.POST, url);
    }

    private static String lower(String s) {
        return decode(s).toLowerCase(Locale.ROOT);
    }

    /** The first non-empty path segments, still percent-encoded; empty segments come from doubled or trailing '/'. */
    private static String[] segments(String path) {
        int len = path.length();
        int i = 0;
        while (i < len && path.charAt(i) == '/') {
            i++;
        }
        if (i == len) {
            return NO_SEGMENTS;
        }
        String[] out = new String[MAX_SEGMENTS];
        int n = 0;
        while (i < len && n < MAX_SEGMENTS) {
            int j = path.indexOf('/', i);
            if (j < 0) {
                j = len;
            }
            out[n++] = path.substring(i, j);
            i = j;
            while (i < len && path.charAt(i) == '/') {
                i++;
            }
        }
        if (n == MAX_SEGMENTS) {
            return out;
        }
        String[] exact = new String[n];
        System.arraycopy(out, 0, exact, 0, n);
        return exact;
    }

    /** Percent-decodes one segment (%40 for '@' is common); a broken escape leaves the text as is, to fail validation. */
    private static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        byte[] buf = new byte[s.length()];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return s;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return s;
                }
                buf[n++] = (byte) (hi * 16 + lo);
                i += 2;
            } else if (c >= 0x80) {
                return s;
            } else {
                buf[n++] = (byte) c;
            }
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8);
    }

    /** Value of one query parameter, tolerating "&amp;" left over from links scraped out of HTML. */
    private static String queryParam(String query, String name) {
        if (query == null) {
            return null;
        }
        int i = 0;
        int len = query.length();
        while (i < len) {
            int amp = query.indexOf('&', i);
            if (amp < 0) {
                amp = len;
            }
            int start = query.startsWith("amp;", i) ? i + 4 : i;
            int eq = start + name.length();
            if (eq < amp && query.charAt(eq) == '=' && query.startsWith(name, start)) {
                return query.substring(eq + 1, amp);
            }
            i = amp + 1;
        }
        return null;
    }
}
