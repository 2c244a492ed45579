package org.prefopt.launcher.config;

import java.util.List;

/** Every problem found in a run configuration, reported together (exit code 2 on the command line). */
public final class ConfigProblemsException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final transient List<Problem> problems;

    public ConfigProblemsException(List<Problem> problems) {
        super(render(problems));
        this.problems = List.copyOf(problems);
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
