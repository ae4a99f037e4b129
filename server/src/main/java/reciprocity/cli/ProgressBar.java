package reciprocity.cli;

import java.io.PrintStream;
import reciprocity.imports.ChunkWriter;

/** A one-line terminal progress bar for imports: done/total, rate and time left, redrawn after each chunk. */
final class ProgressBar implements ChunkWriter.Progress {
    private static final int WIDTH = 30;
    private final PrintStream err;
    private final long started = System.nanoTime();
    private boolean drawn;

    ProgressBar(PrintStream err) {
        this.err = err;
    }

    @Override
    public void committed(long processed, long total, long created, long duplicates, long errors) {
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        double rate = processed / seconds;
        double share = total <= 0 ? 1 : Math.min(1, processed / (double) total);
        int filled = (int) Math.round(share * WIDTH);
        String eta = rate <= 0 || total <= processed ? "0:00" : clock((total - processed) / rate);
        err.printf("\r[%s%s] %3d%%  %,d/%,d  %,.0f/s  ETA %s  (%,d new, %,d duplicates, %,d errors)",
                "#".repeat(filled), ".".repeat(WIDTH - filled), Math.round(share * 100), processed, total, rate, eta, created, duplicates, errors);
        err.flush();
        drawn = true;
    }

    void end() {
        if (drawn) err.println();
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s % 3600 / 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }
}
