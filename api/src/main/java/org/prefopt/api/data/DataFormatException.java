package org.prefopt.api.data;

/** A dataset file holds a record that cannot be used and the dataset's policy is to fail. */
public class DataFormatException extends RuntimeException {

    private final DataIssue issue;

    public DataFormatException(DataIssue issue) {
        super(issue.toString());
        this.issue = issue;
    }

    public DataFormatException(DataIssue issue, Throwable cause) {
        super(issue.toString(), cause);
        this.issue = issue;
    }

    public DataIssue issue() {
        return issue;
    }
}
