package dev.botfleet.runtime.poe;

/**
 * Which of Poe's limits ended an answer, if one did. {@link PoeFrames} puts one into the subscriber context of the
 * answer it writes and sets it before cancelling the answer, so that a handler which counts its outcomes tells a cut
 * at a limit from a caller hanging up.
 */
public final class AnswerCut {

    private volatile AnswerLimit limit;

    void cutAt(AnswerLimit reached) {
        limit = reached;
    }

    /** The limit the answer was cut at, or null. */
    public AnswerLimit limit() {
        return limit;
    }
}
