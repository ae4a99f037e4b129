package reciprocity.auth;

import com.password4j.Argon2Function;
import com.password4j.types.Argon2;
import reciprocity.web.ApiProblem;

/** Hashes and checks passwords with Argon2id, and says when a stored hash should be upgraded. */
public final class Passwords {
    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 128;

    private final Argon2Function current;
    // Verified against when the email is unknown, so both failures cost the same time.
    private final String dummyHash;

    /** OWASP's minimum for Argon2id, set explicitly because the library's default is weaker. */
    public Passwords() {
        this(19_456, 2, 1);
    }

    public Passwords(int memoryKib, int iterations, int parallelism) {
        this.current = Argon2Function.getInstance(memoryKib, iterations, parallelism, 32, Argon2.ID);
        this.dummyHash = current.hash("reciprocity-dummy-password").getResult();
    }

    public String hash(String password) {
        return current.hash(password).getResult();
    }

    public boolean verify(String password, String phc) {
        try {
            return Argon2Function.getInstanceFromHash(phc).check(password, phc);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Spends the same effort as a real check; used for unknown accounts. */
    public void verifyDummy(String password) {
        current.check(password, dummyHash);
    }

    /** True when the hash was made with weaker parameters than today's. */
    public boolean needsRehash(String phc) {
        try {
            Argon2Function used = Argon2Function.getInstanceFromHash(phc);
            return used.getMemory() < current.getMemory()
                    || used.getIterations() < current.getIterations()
                    || used.getParallelism() != current.getParallelism()
                    || used.getVariant() != Argon2.ID;
        } catch (RuntimeException e) {
            return true;
        }
    }

    /** Length counts Unicode code points, so an emoji is one character, not two. */
    public static void checkStrength(String field, String password) {
        if (password == null) {
            throw ApiProblem.badRequest(field, field + " is required");
        }
        int length = password.codePointCount(0, password.length());
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            throw ApiProblem.badRequest(field, field + " must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters long (it has " + length + ")");
        }
    }
}
