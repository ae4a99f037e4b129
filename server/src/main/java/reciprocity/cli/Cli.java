package reciprocity.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import reciprocity.App;
import reciprocity.Config;
import reciprocity.account.AccountService;
import reciprocity.auth.UserDao;
import reciprocity.db.Database;
import reciprocity.export.ExportService;
import reciprocity.imports.ImportFormat;
import reciprocity.imports.ImportService;
import reciprocity.imports.ImportView;
import reciprocity.ledger.Ledger;
import reciprocity.platforms.LinkParser;
import reciprocity.tokens.TokenService;
import reciprocity.web.ApiProblem;
import reciprocity.web.Cursors;
import reciprocity.web.Json;

/**
 * The command line of the server jar: `serve` (the default), `migrate`, `import`, `token create` and `export`. Every
 * command reads the same configuration as the server (RECIPROCITY_HOME, DATABASE_URL, …) and works on its database.
 */
@Command(name = "reciprocity", mixinStandardHelpOptions = true, version = "reciprocity 0.1",
        description = "Reciprocity: the ledger of your social give and take. Without a command, runs the server.",
        subcommands = {Cli.Serve.class, Cli.Migrate.class, Cli.Import.class, Cli.Token.class, Cli.Export.class})
public final class Cli implements Callable<Integer> {
    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    Cli(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs one command and returns its exit code: 0 done, 1 failed, 2 bad configuration or usage. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Cli cli = new Cli(env, out, err);
        CommandLine line = new CommandLine(cli);
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof Config.Invalid) {
                err.println("reciprocity: " + e.getMessage());
                return 2;
            }
            if (e instanceof ApiProblem || e instanceof Failure) {
                err.println("reciprocity: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return line.execute(args);
    }

    /** A command that cannot go on; the message is the one line the user sees. */
    static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public Integer call() throws Exception {
        return new Serve(this).call();
    }

    Config config() {
        return Config.from(env);
    }

    /** The database and the services the one-shot commands use. */
    static final class Local implements AutoCloseable {
        final Database database;
        final ObjectMapper json = Json.mapper();
        final Clock clock = Clock.systemUTC();
        final Ledger ledger = new Ledger(new LinkParser(), json);
        final AccountService accounts;

        Local(Config config) {
            this.database = Database.open(config);
            // Only settings and account reads are used here: no sign-in service is needed.
            this.accounts = new AccountService(database.jdbi(), json, clock, null);
        }

        long userId(String email) {
            return database.jdbi().withExtension(UserDao.class, dao -> dao.findByEmail(email))
                    .orElseThrow(() -> new Failure("no account with the email " + email)).id();
        }

        @Override
        public void close() {
            database.close();
        }
    }

    @Command(name = "serve", description = "Run the server (the default).")
    static final class Serve implements Callable<Integer> {
        @CommandLine.ParentCommand
        Cli cli;

        Serve() {}

        Serve(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() throws InterruptedException {
            App.serve(cli.config());
            new CountDownLatch(1).await(); // until the process is stopped; the shutdown hook closes the server
            return 0;
        }
    }

    @Command(name = "migrate", description = "Bring the database schema up to date, then exit.")
    static final class Migrate implements Callable<Integer> {
        @CommandLine.ParentCommand
        Cli cli;

        @Override
        public Integer call() {
            try (Database db = Database.open(cli.config())) {
                String version = db.jdbi().withHandle(h -> h.createQuery(
                                "select version from flyway_schema_history where success and version is not null order by installed_rank desc limit 1")
                        .mapTo(String.class).findOne().orElse("?"));
                cli.out.println("The database is at schema version " + version + ".");
            }
            return 0;
        }
    }

    @Command(name = "import", description = "Import an export file straight into the database, with a progress bar on stderr.")
    static final class Import implements Callable<Integer> {
        @CommandLine.ParentCommand
        Cli cli;

        @Parameters(index = "0", paramLabel = "FILE", description = "The export file (.zip, .tar.gz, .js, .json or .csv)")
        Path file;

        @Option(names = "--format", required = true, description = "x-archive, mastodon-archive, linkedin-export, reddit-export, csv, json or reciprocity-export")
        String format;

        @Option(names = "--user", required = true, paramLabel = "EMAIL", description = "The account to import into")
        String email;

        @Override
        public Integer call() {
            ImportFormat f = ImportFormat.fromId(format).orElseThrow(() -> new Failure("--format must be one of " + ImportFormat.ids()));
            if (!Files.isReadable(file)) throw new Failure("cannot read " + file);
            Config config = cli.config();
            try (Local local = new Local(config);
                 ImportService imports = new ImportService(local.database.jdbi(), local.ledger, local.accounts, local.json, local.clock,
                         new Cursors(new SecureRandom().generateSeed(32)), config.home().resolve("imports"), false)) {
                long userId = local.userId(email);
                ProgressBar bar = new ProgressBar(cli.err);
                ImportView done = imports.importHere(userId, f, file, bar);
                bar.end();
                cli.out.printf(java.util.Locale.ROOT, "Import %d %s: %,d created, %,d duplicates, %,d errors%n", done.id(), done.state(), done.created(),
                        done.duplicates(), done.errorCount());
                if (done.reason() != null) cli.err.println("reciprocity: " + done.reason());
                done.errors().stream().limit(20).forEach(e -> cli.err.println("  " + e.entry() + (e.line() == null ? "" : ":" + e.line()) + ": " + e.reason()));
                return "done".equals(done.state()) ? 0 : 1;
            }
        }
    }

    @Command(name = "token", description = "Personal access tokens.", subcommands = Token.Create.class)
    static final class Token {
        @CommandLine.ParentCommand
        Cli cli;

        @Command(name = "create", description = "Create a personal access token and print it (it is shown only this once).")
        static final class Create implements Callable<Integer> {
            @CommandLine.ParentCommand
            Token token;

            @Option(names = "--user", required = true, paramLabel = "EMAIL")
            String email;

            @Option(names = "--scopes", required = true, split = ",", description = "read or read,write")
            List<String> scopes;

            @Option(names = "--name", defaultValue = "cli", description = "A name to recognise it by (default: ${DEFAULT-VALUE})")
            String name;

            @Option(names = "--days", defaultValue = "90", description = "Days until it expires, 1 to 365 (default: ${DEFAULT-VALUE})")
            int days;

            @Override
            public Integer call() {
                Cli cli = token.cli;
                try (Local local = new Local(cli.config())) {
                    long userId = local.userId(email);
                    TokenService.Created created = new TokenService(local.database.jdbi(), local.clock)
                            .create(userId, new TokenService.Create(name, scopes, days));
                    cli.err.println("Token `" + created.name() + "` (" + String.join(", ", created.scopes()) + "), expires " + created.expiresAt()
                            + ". It is shown only now:");
                    cli.out.println(created.token());
                }
                return 0;
            }
        }
    }

    @Command(name = "export", description = "Write everything of one account as the reciprocity-export JSON document.")
    static final class Export implements Callable<Integer> {
        @CommandLine.ParentCommand
        Cli cli;

        @Option(names = "--user", required = true, paramLabel = "EMAIL")
        String email;

        @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE instead of standard output")
        Path file;

        @Override
        public Integer call() throws IOException {
            try (Local local = new Local(cli.config())) {
                long userId = local.userId(email);
                ExportService export = new ExportService(local.database.jdbi(), local.accounts, local.json, local.clock);
                try (OutputStream out = new BufferedOutputStream(file == null ? nonClosing(cli.out) : Files.newOutputStream(file), 1 << 16)) {
                    export.write(userId, out);
                }
                if (file != null) cli.err.println("Wrote " + file);
            }
            return 0;
        }

        private static OutputStream nonClosing(PrintStream target) {
            return new OutputStream() {
                @Override
                public void write(int b) {
                    target.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    target.write(b, off, len);
                }

                @Override
                public void close() {
                    target.flush();
                }
            };
        }
    }
}
