package reciprocity.platforms;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Per-platform handle rules, shared by URL parsing and by handles typed by people so both agree on what a person is.
 * {@link #isValid} is the cheap check for the hot path; {@link #problem} is only computed when a message is needed.
 */
final class Handles {
    static final int MAX_HANDLE_LENGTH = 100;

    /**
     * One platform's character set and length limits, with the wording used in messages; {@code allowed} marks the
     * ASCII characters that {@code allowedChar} matches, and no other character is allowed.
     */
    private record Rule(String site, boolean[] allowed, Pattern allowedChar, int min, int max, String allowedWords) {
        /** Whether the whole handle is {@code min} to {@code max} allowed characters (the regex {@code class{min,max}}). */
        boolean matches(String h) {
            int n = h.length();
            if (n < min || n > max) return false;
            for (int i = 0; i < n; i++) {
                char c = h.charAt(i);
                if (c >= allowed.length || !allowed[c]) return false;
            }
            return true;
        }
    }

    private static final Map<Platform, Rule> RULES = new EnumMap<>(Platform.class);
    private static final Map<Platform, Set<String>> RESERVED = new EnumMap<>(Platform.class);

    private static final Pattern DIGITS_ID = Pattern.compile("[0-9]{1,20}");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    // atproto handles: a domain whose last label (the TLD) does not start with a digit.
    private static final Pattern BLUESKY_HANDLE = Pattern.compile(
            "(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern BLUESKY_DID = Pattern.compile("did:plc:[a-z2-7]{24}|did:web:" + DOMAIN.pattern());
    private static final Pattern MASTODON_USER = Pattern.compile("[a-z0-9_](?:[a-z0-9_.-]{0,62}[a-z0-9_])?");
    // Real channel ids are "UC" + 22 characters; shorter ones are accepted because test and legacy data use them.
    // Case-sensitive on purpose: canonical @handles are lower-case, so a leading upper-case "UC" is unambiguous.
    private static final Pattern YOUTUBE_CHANNEL = Pattern.compile("UC[A-Za-z0-9_-]{8,22}");

    static {
        RULES.put(Platform.X, rule("X", "[a-z0-9_]", 1, 15, "letters, digits and underscores"));
        RULES.put(Platform.LINKEDIN, rule("LinkedIn", "[a-z0-9-]", 3, 100, "letters, digits and hyphens"));
        RULES.put(Platform.FACEBOOK, rule("Facebook", "[a-z0-9.]", 3, 50,
                "letters, digits and dots (or a numeric profile id)"));
        RULES.put(Platform.INSTAGRAM, rule("Instagram", "[a-z0-9._]", 1, 30, "letters, digits, dots and underscores"));
        RULES.put(Platform.REDDIT, rule("Reddit", "[a-z0-9_-]", 3, 20, "letters, digits, underscores and hyphens"));
        RULES.put(Platform.GITHUB, rule("GitHub", "[a-z0-9-]", 1, 39, "letters, digits and hyphens"));
        RULES.put(Platform.THREADS, rule("Threads", "[a-z0-9._]", 1, 30, "letters, digits, dots and underscores"));
        RULES.put(Platform.YOUTUBE, rule("YouTube", "[a-z0-9._-]", 3, 30,
                "letters, digits, dots, underscores and hyphens (or a channel id starting with UC)"));
        RULES.put(Platform.BLUESKY, rule("Bluesky", "[a-z0-9.-]", 3, MAX_HANDLE_LENGTH,
                "a domain name such as alice.bsky.social, or a did:plc: identifier"));
        RULES.put(Platform.MASTODON, rule("Mastodon", "[a-z0-9_.@-]", 3, MAX_HANDLE_LENGTH,
                "user@instance, such as bob@mastodon.social"));

        // Top-level paths of each site that look like handles but are pages of the site itself.
        RESERVED.put(Platform.X, Set.of(
                "home", "explore", "notifications", "messages", "i", "settings", "search", "compose", "hashtag",
                "intent", "share", "tos", "privacy", "login", "logout", "signup", "jobs", "about", "account",
                "download", "sessions", "session", "oauth", "help", "rules", "welcome", "who_to_follow", "lists",
                "personalization", "following", "followers", "bookmarks", "communities", "topics", "tweet",
                "status", "statuses", "signin", "safety", "display", "grok", "premium", "verified", "en", "web",
                "connect_people", "account_access", "search_advanced", "hashtags", "moments", "media", "widgets"));
        RESERVED.put(Platform.GITHUB, Set.of(
                "settings", "notifications", "orgs", "marketplace", "explore", "topics", "login", "logout", "pulls",
                "issues", "sponsors", "features", "about", "pricing", "new", "organizations", "search", "trending",
                "apps", "enterprise", "enterprises", "collections", "codespaces", "join", "signup", "site",
                "security", "contact", "customer-stories", "readme", "team", "teams", "dashboard", "discussions",
                "events", "account", "watching", "stars", "home", "blog", "nonprofit", "education", "resources",
                "solutions", "premium-support", "copilot", "mobile", "open-source", "sessions", "users",
                "repositories", "gist", "images", "assets", "git-guides", "partners", "sitemap", "status", "redeem",
                "why-github", "auth", "models", "import", "integrations", "github-copilot", "downloads",
                "feature", "security-advisories", "advisories", "community", "showcases", "stories", "customer",
                "mine", "discover", "starred", "forked"));
        RESERVED.put(Platform.FACEBOOK, Set.of(
                "groups", "watch", "marketplace", "events", "gaming", "pages", "help", "login", "logout", "settings",
                "notifications", "messages", "friends", "bookmarks", "saved", "sharer", "share", "dialog",
                "plugins", "hashtag", "stories", "reels", "photo", "photos", "video", "videos", "policies",
                "privacy", "legal", "business", "fundraisers", "memories", "search", "media", "public", "places",
                "games", "live", "news", "feeds", "messenger", "recover", "careers", "about", "terms", "directory",
                "home", "mobile", "apps", "developers", "notes", "latest", "offers", "jobs", "donate", "checkpoint",
                "composer", "campaign", "story", "permalink", "profile", "people", "instantgames", "weather",
                "reg", "signup", "adsmanager", "ads", "biz", "dyi", "community", "professional", "facebook",
                "business.help"));
        RESERVED.put(Platform.INSTAGRAM, Set.of(
                "explore", "accounts", "p", "reel", "reels", "tv", "stories", "direct", "about", "legal",
                "developer", "web", "emails", "challenge", "privacy", "terms", "session", "oauth", "press", "api",
                "static", "graphql", "ar", "nametag", "directory", "locations", "topics", "tags", "lite", "create",
                "s", "invites", "your_activity", "popular", "blog", "help", "download", "fragment", "threads",
                "meta", "igtv", "audio", "archive", "account", "login", "signup", "settings", "notifications"));
        RESERVED.put(Platform.THREADS, Set.of());
        RESERVED.put(Platform.LINKEDIN, Set.of());
        RESERVED.put(Platform.REDDIT, Set.of());
        RESERVED.put(Platform.YOUTUBE, Set.of());
        RESERVED.put(Platform.BLUESKY, Set.of());
        RESERVED.put(Platform.MASTODON, Set.of());
    }

    private static Rule rule(String site, String charClass, int min, int max, String words) {
        Pattern allowedChar = Pattern.compile(charClass);
        boolean[] allowed = new boolean[128];
        for (char c = 0; c < allowed.length; c++) allowed[c] = allowedChar.matcher(String.valueOf(c)).matches();
        return new Rule(site, allowed, allowedChar, min, max, words);
    }

    private Handles() {}

    static String siteName(Platform p) {
        return RULES.get(p).site();
    }

    static boolean isYoutubeChannelId(String handle) {
        return YOUTUBE_CHANNEL.matcher(handle).matches();
    }

    static boolean isBlueskyDid(String handle) {
        return handle.startsWith("did:");
    }

    /** Lower-cases a handle except where case carries meaning (YouTube channel ids, Bluesky DIDs). */
    static String canonicalCase(Platform p, String handle) {
        if (p == Platform.YOUTUBE && isYoutubeChannelId(handle)) {
            return handle;
        }
        if (p == Platform.BLUESKY && isBlueskyDid(handle)) {
            return handle;
        }
        return handle.toLowerCase(Locale.ROOT);
    }

    /** Hot-path check of an already canonical-cased handle; no message is built. */
    static boolean isValid(Platform p, String h) {
        if (h.isEmpty() || h.length() > MAX_HANDLE_LENGTH) {
            return false;
        }
        switch (p) {
            case MASTODON: {
                int at = h.indexOf('@');
                return at > 0 && MASTODON_USER.matcher(h).region(0, at).matches()
                        && DOMAIN.matcher(h).region(at + 1, h.length()).matches();
            }
            case BLUESKY:
                return isBlueskyDid(h) ? BLUESKY_DID.matcher(h).matches() : BLUESKY_HANDLE.matcher(h).matches();
            case YOUTUBE:
                return isYoutubeChannelId(h) || RULES.get(p).matches(h);
            case FACEBOOK:
                return DIGITS_ID.matcher(h).matches()
                        || (RULES.get(p).matches(h) && !isReserved(p, h));
            default:
                return RULES.get(p).matches(h) && !isReserved(p, h);
        }
    }

    private static boolean isReserved(Platform p, String h) {
        // Facebook serves its own pages as *.php at the top level (photo.php, l.php, ...).
        return RESERVED.get(p).contains(h) || (p == Platform.FACEBOOK && h.endsWith(".php"));
    }

    /** Why a canonical-cased handle is invalid, worded for the person who typed it; null when it is valid. */
    static String problem(Platform p, String h) {
        if (isValid(p, h)) {
            return null;
        }
        Rule r = RULES.get(p);
        String site = r.site();
        if (h.length() > MAX_HANDLE_LENGTH) {
            return site + " handle is too long: " + h.length() + " characters, at most " + MAX_HANDLE_LENGTH
                    + " are allowed.";
        }
        if (p == Platform.MASTODON) {
            int at = h.indexOf('@');
            if (at < 0) {
                return "Mastodon handles must be user@instance (for example bob@mastodon.social); '" + h
                        + "' has no instance.";
            }
            if (!MASTODON_USER.matcher(h).region(0, at).matches()) {
                return "Mastodon handle '" + h + "' has an invalid user part: use letters, digits and underscores"
                        + " before the @.";
            }
            return "Mastodon handle '" + h + "' has an invalid instance: after the @ put the server's domain name,"
                    + " such as mastodon.social.";
        }
        if (p == Platform.BLUESKY) {
            if (isBlueskyDid(h)) {
                return "Bluesky identifier '" + h + "' is not a valid did:plc: (24 characters a-z, 2-7) or did:web:.";
            }
            if (h.indexOf('.') < 0) {
                return "Bluesky handles are domain names such as " + h + ".bsky.social; '" + h + "' has no dot.";
            }
        }
        if (p == Platform.YOUTUBE && h.startsWith("UC")) {
            return "YouTube channel id '" + h + "' is not valid: it is UC followed by up to 22 letters, digits,"
                    + " '-' or '_'.";
        }
        if (isReserved(p, h)) {
            return "'" + h + "' is a " + site + " page, not a person's handle.";
        }
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            if (!r.allowedChar().matcher(String.valueOf(c)).matches()) {
                return site + " handle '" + h + "' contains '" + c + "', which is not allowed: use only "
                        + r.allowedWords() + ".";
            }
        }
        if (h.length() > r.max()) {
            return site + " handle '" + h + "' is too long: " + h.length() + " characters, at most " + r.max()
                    + " are allowed.";
        }
        if (h.length() < r.min()) {
            return site + " handle '" + h + "' is too short: at least " + r.min() + " characters are needed.";
        }
        return site + " handle '" + h + "' is not valid: use " + r.allowedWords() + ".";
    }
}
