package dev.herald.gateway.routing;

import java.time.Duration;
import java.util.Map;

import dev.herald.support.ApiException;
import dev.herald.support.Authentication;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

/** Tells a client which gateway serves it now; any gateway gives the same answer. */
@RestController
class RouteController {

    private final GroupOwnership ownership;
    private final PeerWatch peers;

    RouteController(GroupOwnership ownership, PeerWatch peers) {
        this.ownership = ownership;
        this.peers = peers;
    }

    @GetMapping("/v1/route")
    Map<String, Object> route(@RequestAttribute(Authentication.USER) String userId) {
        int partition;
        try {
            partition = ownership.partitionOf(userId);
        }
        catch (IllegalStateException ex) {
            throw ApiException.unavailable("the event stream cannot be reached", Duration.ofSeconds(2));
        }
        String url = ownership.routes().ownerOf(partition).orElseThrow(() -> ApiException.unavailable(
                "the gateways are rebalancing; partition " + partition + " has no owner yet", Duration.ofSeconds(1)));
        if (peers.suspects(url)) {
            // Its port refused: it has crashed and is being removed from the group; a new owner follows.
            throw ApiException.unavailable("the owner of partition " + partition + " does not answer; another gateway "
                    + "takes over", Duration.ofSeconds(1));
        }
        return Map.of("url", url, "partition", partition);
    }
}
