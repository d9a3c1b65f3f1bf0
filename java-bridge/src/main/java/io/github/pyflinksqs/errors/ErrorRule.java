package io.github.pyflinksqs.errors;

/** An action and, for FATAL, what the user should check. */
public final class ErrorRule {
    private final ErrorAction action;
    private final String hint;

    ErrorRule(ErrorAction action, String hint) {
        this.action = action;
        this.hint = hint;
    }

    public ErrorAction action() {
        return action;
    }

    public String hint() {
        return hint;
    }

    @Override
    public String toString() {
        return hint.isEmpty() ? action.name() : action + " (" + hint + ")";
    }
}
