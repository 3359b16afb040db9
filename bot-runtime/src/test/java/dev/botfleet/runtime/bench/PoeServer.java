package dev.botfleet.runtime.bench;

/** A server the benchmark sends Poe queries to: the runtime, or the fastapi_poe anchor. */
interface PoeServer {

    /** What the tables call it. */
    String label();

    String botUrl(String bot);

    /** CPU time the server's processes have used so far, in ms. */
    double cpuMillis();
}
