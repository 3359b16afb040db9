package dev.botfleet.runtime.bench;

/** A server the benchmark sends Poe queries to: the runtime, or the fastapi_poe anchor. */
interface PoeServer {

    /** What the tables call it. */
    String label();

    String botUrl(String bot);

    /** CPU time the server's processes have used so far, in ms. */
    double cpuMillis();

    /** The part of {@link #cpuMillis()} spent in the kernel (system calls, network stack), in ms. */
    double kernelCpuMillis();
}
