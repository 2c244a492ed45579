package org.prefopt.launcher.config;

import com.typesafe.config.ConfigOrigin;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects problems while a configuration is checked; {@link #throwIfAny()} reports them all at once. */
public final class Problems {

    private final List<Problem> list = new ArrayList<>();

    public void add(ConfigOrigin origin, String path, String message) {
        list.add(new Problem(Origins.describe(origin), path, message));
    }

    public void add(String location, String path, String message) {
        list.add(new Problem(location, path, message));
    }

    public void addAll(List<Problem> problems) {
        list.addAll(problems);
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public List<Problem> list() {
        return List.copyOf(list);
    }

    /** Throws a {@link ConfigProblemsException} holding every problem, in file and line order. */
    public void throwIfAny() {
        throwIfAny(null);
    }

    /** {@link #throwIfAny()}, carrying the run as far as it resolved ({@link ConfigProblemsException#partial()}). */
    public void throwIfAny(ResolvedRun partial) {
        if (!list.isEmpty()) {
            List<Problem> sorted = new ArrayList<>(list);
            sorted.sort(Comparator.comparing(Problems::fileOf).thenComparingInt(Problems::lineOf));
            throw new ConfigProblemsException(sorted, partial);
        }
    }

    private static String fileOf(Problem p) {
        int colon = p.location().lastIndexOf(':');
        return colon > 0 && isDigits(p.location().substring(colon + 1)) ? p.location().substring(0, colon) : p.location();
    }

    private static int lineOf(Problem p) {
        int colon = p.location().lastIndexOf(':');
        String tail = colon > 0 ? p.location().substring(colon + 1) : "";
        return isDigits(tail) ? Integer.parseInt(tail) : 0;
    }

    private static boolean isDigits(String s) {
        return !s.isEmpty() && s.length() < 10 && s.chars().allMatch(Character::isDigit);
    }
}
