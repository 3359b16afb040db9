package dev.botfleet.runtime;

import dev.botfleet.api.poe.PoeApi;
import dev.botfleet.runtime.poe.PoeLimits;
import dev.botfleet.runtime.redis.RedisSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * Settings of the runtime, under {@code botfleet.*}.
 *
 * @param manifests      file or directory of LLMProvider, LLMBot and Secret documents (required)
 * @param namespace      the namespace whose LLMBots and LLMProviders are served, needed only when the manifests name
 *                       more than one; documents that name none belong to it
 * @param secretsDir     directory of mounted Secrets, {@code <dir>/<secret>/<key>}; optional
 * @param reloadInterval how often the manifests are checked for changes
 * @param keepAlive      longest silence in an answer before a keep-alive comment is sent (one is also sent at once, so
 *                       that the response starts before the first event)
 * @param maxRequestSize largest Poe request body accepted
 * @param initialBackoff wait before the first retry of a failed upstream request; doubles with each retry
 * @param maxBackoff     longest wait between retries
 * @param upstreamMaxConnections most connections open to one provider host; each streaming answer holds one
 * @param upstreamMaxIdle        how long an idle provider connection is kept for reuse
 * @param upstreamMaxEventSize   largest single server-sent event accepted from a provider
 * @param listBots       whether {@code GET /bots} lists the bots; the operator turns it off, so that a route to
 *                       the Poe endpoints exposes nothing else
 * @param headerTimeout  longest wait for a request's headers, from the connection opening or the previous answer
 *                       ending; a connection that has not delivered them by then is closed
 * @param bodyTimeout    longest wait for a request's body once its headers have arrived
 * @param maxInflightBodyBytes most bytes of request bodies received at once, across all requests
 * @param maxConnections most client connections open at once; default: half the file descriptors the process
 *                       may open, less a reserve (each streaming answer also holds a connection to its provider)
 * @param maxTrackedUsers most (bot, user) pairs whose query rate is remembered at once, for bots with
 *                       {@code limits.requestsPerMinutePerUser}, a pair unused for a minute forgotten earlier; and
 *                       most budget counts kept at once, for bots with {@code spec.budgets}
 * @param drainTimeout   on shutdown (SIGTERM), how long the answers being streamed may go on; new queries are
 *                       refused at once, and answers still open at the end get an error that allows a retry
 * @param validateManifests whether LLMBot and LLMProvider documents are checked against the CRDs' schema and CEL
 *                       rules, with the API server's messages; the operator turns it off, as the API server has
 *                       admitted every document it renders (the checks load about 1,200 classes)
 * @param poe            Poe's limits on one answer and the pacing of text within them ({@code botfleet.poe.*})
 * @param poeApiUrl      Poe's bot API, where priced bots authorize and capture their costs
 *                       ({@code <url>cost/<bot_query_id>/authorize})
 * @param poeCostTimeout the longest wait for Poe's cost API; an authorization not answered by then fails the answer
 *                       with an error that allows a retry
 * @param fetchImagesFromPrivateAddresses whether images of bots with {@code images.delivery: inline} may be fetched
 *                       from loopback, private, link-local and other non-public addresses (off: a request's image URL
 *                       must not reach into the pod's, node's or cluster's network)
 * @param redis          Redis or Valkey that keeps {@code spec.limits} and {@code spec.budgets} for every replica of
 *                       the group ({@code botfleet.redis.*}); without it each replica counts on its own
 */
@ConfigurationProperties("botfleet")
public record RuntimeProperties(
        String manifests,
        String namespace,
        String secretsDir,
        Duration reloadInterval,
        Duration keepAlive,
        DataSize maxRequestSize,
        Duration initialBackoff,
        Duration maxBackoff,
        Integer upstreamMaxConnections,
        Duration upstreamMaxIdle,
        DataSize upstreamMaxEventSize,
        Boolean listBots,
        Duration headerTimeout,
        Duration bodyTimeout,
        DataSize maxInflightBodyBytes,
        Integer maxConnections,
        Long maxTrackedUsers,
        Duration drainTimeout,
        Boolean validateManifests,
        PoeLimits poe,
        String poeApiUrl,
        Duration poeCostTimeout,
        Boolean fetchImagesFromPrivateAddresses,
        RedisSettings redis) {

    public RuntimeProperties {
        reloadInterval = reloadInterval == null ? Duration.ofSeconds(2) : reloadInterval;
        keepAlive = keepAlive == null ? Duration.ofSeconds(3) : keepAlive;
        maxRequestSize = maxRequestSize == null ? DataSize.ofMegabytes(1) : maxRequestSize;
        initialBackoff = initialBackoff == null ? Duration.ofMillis(250) : initialBackoff;
        maxBackoff = maxBackoff == null ? Duration.ofSeconds(4) : maxBackoff;
        upstreamMaxConnections = upstreamMaxConnections == null ? 20_000 : upstreamMaxConnections;
        upstreamMaxIdle = upstreamMaxIdle == null ? Duration.ofSeconds(30) : upstreamMaxIdle;
        upstreamMaxEventSize = upstreamMaxEventSize == null ? DataSize.ofMegabytes(16) : upstreamMaxEventSize;
        listBots = listBots == null || listBots;
        headerTimeout = headerTimeout == null ? Duration.ofSeconds(20) : headerTimeout;
        bodyTimeout = bodyTimeout == null ? Duration.ofSeconds(20) : bodyTimeout;
        maxInflightBodyBytes = maxInflightBodyBytes == null ? DataSize.ofMegabytes(32) : maxInflightBodyBytes;
        maxConnections = maxConnections == null ? FileDescriptors.connectionsWithin() : maxConnections;
        maxTrackedUsers = maxTrackedUsers == null ? 100_000L : maxTrackedUsers;
        drainTimeout = drainTimeout == null ? Duration.ofSeconds(30) : drainTimeout;
        validateManifests = validateManifests == null || validateManifests;
        poe = poe == null ? PoeLimits.POE : poe;
        poeApiUrl = poeApiUrl == null || poeApiUrl.isBlank() ? PoeApi.DEFAULT_BASE_URL : poeApiUrl;
        poeCostTimeout = poeCostTimeout == null ? Duration.ofSeconds(4) : poeCostTimeout;
        fetchImagesFromPrivateAddresses = fetchImagesFromPrivateAddresses != null && fetchImagesFromPrivateAddresses;
        redis = redis == null ? RedisSettings.NONE : redis;
        positive("reload-interval", reloadInterval);
        positive("keep-alive", keepAlive);
        positive("initial-backoff", initialBackoff);
        positive("max-backoff", maxBackoff);
        positive("upstream-max-idle", upstreamMaxIdle);
        positive("header-timeout", headerTimeout);
        positive("body-timeout", bodyTimeout);
        positive("poe-cost-timeout", poeCostTimeout);
        notNegative("drain-timeout", drainTimeout);
        atLeastOne("max-request-size", maxRequestSize.toBytes());
        atLeastOne("upstream-max-event-size", upstreamMaxEventSize.toBytes());
        atLeastOne("max-inflight-body-bytes", maxInflightBodyBytes.toBytes());
        atLeastOne("upstream-max-connections", upstreamMaxConnections);
        atLeastOne("max-connections", maxConnections);
        atLeastOne("max-tracked-users", maxTrackedUsers);
    }

    /** A setting that would stop every answer (a zero timeout, no connections) is refused at start, by its name. */
    private static void positive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("botfleet." + name + " must be positive, not " + value);
        }
    }

    private static void notNegative(String name, Duration value) {
        if (value.isNegative()) {
            throw new IllegalArgumentException("botfleet." + name + " must not be negative, not " + value);
        }
    }

    private static void atLeastOne(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException("botfleet." + name + " must be at least 1, not " + value);
        }
    }
}
