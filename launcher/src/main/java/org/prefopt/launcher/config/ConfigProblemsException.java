package org.prefopt.launcher.config;

import java.util.List;
import java.util.Optional;

/** Every problem found in a run configuration, reported together (exit code 2 on the command line). */
public final class ConfigProblemsException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final transient List<Problem> problems;
    private final transient ResolvedRun partial;

    public ConfigProblemsException(List<Problem> problems) {
        this(problems, null);
    }

    /**
     * @param partial the run as far as it resolved (every section merged over its defaults, components that could be
     *                chosen), for what can still be shown about it (the memory plan); null when there is none
     */
    public ConfigProblemsException(List<Problem> problems, ResolvedRun partial) {
        super(render(problems));
        this.problems = List.copyOf(problems);
        this.partial = partial;
    }

    /** The run as far as it resolved despite the problems; not valid, so never to be run. */
    public Optional<ResolvedRun> partial() {
        return Optional.ofNullable(partial);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String render(List<Problem> problems) {
        StringBuilder sb = new StringBuilder("Invalid configuration (")
                .append(problems.size()).append(problems.size() == 1 ? " problem" : " problems").append("):");
        for (Problem p : problems) {
            sb.append("\n  ").append(p.toString().replace("\n", "\n    "));
        }
        return sb.toString();
    }
}
