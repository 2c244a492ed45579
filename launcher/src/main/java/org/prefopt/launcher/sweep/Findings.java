package org.prefopt.launcher.sweep;

/**
 * The claims of the motivating study a sweep's comparison checks ({@code sweep.findings}, see {@link FindingsSection});
 * each is optional (null when absent) and names variants by their sweep-file name (before grid expansion).
 *
 * @param plateau      finding 1: the variant's gain over the reference shrinks on the hardest tiers
 * @param nonInferior  finding 2: the variant is at most {@code margin} worse than the reference
 * @param crossDataset finding 3: the variant beats the reference on the set
 */
public record Findings(Plateau plateau, NonInferior nonInferior, CrossDataset crossDataset) {

    public static final Findings NONE = new Findings(null, null, null);

    /** @param hardestTiers how many of the hardest tiers are pooled as "the hardest" (default 1) */
    public record Plateau(String set, String variant, String reference, int hardestTiers) {
    }

    /**
     * @param margin   the non-inferiority margin as a fraction (0.03 = 3 points)
     * @param baseline optional (null: none): the variant both started from; matching a reference that gained nothing
     *                 over it shows nothing, so the claim is then inconclusive
     */
    public record NonInferior(String set, String variant, String reference, double margin, String baseline) {

        public NonInferior(String set, String variant, String reference, double margin) {
            this(set, variant, reference, margin, null);
        }
    }

    public record CrossDataset(String set, String variant, String reference) {
    }

    public boolean isEmpty() {
        return plateau == null && nonInferior == null && crossDataset == null;
    }
}
