package dev.botfleet.runtime.llm;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.resolver.InetSocketAddressResolver;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Promise;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Resolves host names as the JDK does, and refuses every address that is not on the public internet: loopback,
 * private, link-local (where clouds serve instance credentials), carrier-grade NAT, unique-local and multicast. A
 * request that names an image URL must not make the runtime reach into its own pod, node or cluster network. Names
 * are checked as they are resolved, for every connection (redirects included), so a name cannot be re-pointed after
 * a check; addresses written in a URL are checked by {@link #refusedLiteral}.
 */
final class PublicAddresses extends AddressResolverGroup<InetSocketAddress> {

    /** An address that is not public; {@link #getMessage()} names the host and never the rest of the URL. */
    static final class Refused extends UnknownHostException {

        Refused(String host, InetAddress address) {
            super(host + " resolves to " + address.getHostAddress() + ", which is not a public address");
        }
    }

    @Override
    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
        return new InetSocketAddressResolver(executor, new InetNameResolver(executor) {
            @Override
            protected void doResolve(String host, Promise<InetAddress> promise) {
                try {
                    promise.setSuccess(publicAddresses(host).get(0));
                } catch (UnknownHostException e) {
                    promise.setFailure(e);
                }
            }

            @Override
            protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
                try {
                    promise.setSuccess(publicAddresses(host));
                } catch (UnknownHostException e) {
                    promise.setFailure(e);
                }
            }
        });
    }

    /** All of the host's addresses, refused if any is not public: a name may mix them to get past a check. */
    static List<InetAddress> publicAddresses(String host) throws UnknownHostException {
        List<InetAddress> addresses = Arrays.asList(InetAddress.getAllByName(host));
        for (InetAddress address : addresses) {
            if (!isPublic(address)) {
                throw new Refused(host, address);
            }
        }
        return addresses;
    }

    /**
     * Whether a URL host is an IP address that is not public. Reactor Netty connects to an address written in the URL
     * without asking the resolver, so such hosts are checked here, before the request and before each redirect.
     */
    static boolean refusedLiteral(String host) {
        if (host == null) {
            return false;
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress literal = NetUtil.createInetAddressFromIpAddressString(bare);
        return literal != null && !isPublic(literal);
    }

    static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xFF;
            int second = bytes[1] & 0xFF;
            // 0.0.0.0/8 (this network), 100.64.0.0/10 (carrier-grade NAT), 192.0.0.0/24 (protocol assignments).
            return first != 0 && !(first == 100 && second >= 64 && second < 128)
                    && !(first == 192 && second == 0 && bytes[2] == 0);
        }
        // fc00::/7: unique local addresses, IPv6's private networks.
        return !(address instanceof Inet6Address) || (bytes[0] & 0xFE) != 0xFC;
    }
}
