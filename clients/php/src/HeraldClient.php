<?php

declare(strict_types=1);

namespace Herald;

use Herald\Transport\CurlTransport;
use Herald\Transport\Request;
use Herald\Transport\Response;
use Herald\Transport\Transport;

/**
 * Herald for PHP backends (CodeIgniter, Laravel, plain PHP), with the service's API key:
 * send to users (notify, notifyMany), publish to channels, mint user tokens for pages, and read or
 * mark a user's inbox.
 *
 * Every send carries an Idempotency-Key (yours, or one generated per call), and a 503 or a request
 * that got no answer is retried with that same key (see RetryPolicy): Herald then keeps exactly one
 * copy, never two. Refusals are typed exceptions (HeraldException and its subclasses).
 */
final class HeraldClient
{
    private readonly string $producerUrl;
    private readonly ?string $storeUrl;
    private readonly Transport $transport;
    private readonly RetryPolicy $retry;

    /**
     * @param string $producerUrl producer-api, e.g. http://localhost:8080 (send, publish, tokens)
     * @param string $apiKey the service's key (scopes: send; tokens to mint; read for inbox reads)
     * @param int|float $timeoutSeconds per request, for the default curl transport
     * @param int $attempts sends in all for a retriable failure (ignored when $retryPolicy is given)
     * @param string|null $storeUrl notification-store, e.g. http://localhost:8081 (inbox reads)
     * @param Transport|null $transport e.g. a Psr18Transport; ext-curl when null
     */
    public function __construct(
        string $producerUrl,
        private readonly string $apiKey,
        int|float $timeoutSeconds = 10,
        int $attempts = 3,
        ?string $storeUrl = null,
        ?Transport $transport = null,
        ?RetryPolicy $retryPolicy = null,
    ) {
        $this->producerUrl = rtrim($producerUrl, '/');
        $this->storeUrl = $storeUrl === null || $storeUrl === '' ? null : rtrim($storeUrl, '/');
        $this->transport = $transport ?? new CurlTransport((float) $timeoutSeconds);
        $this->retry = $retryPolicy ?? new RetryPolicy($attempts);
    }

    /**
     * Sends one notification to one user or several (one event each). Retrying the same call with
     * the same $idempotencyKey yields the same event ids: the user sees it once.
     *
     * @param string|list<string>|Notification $recipients a user id, up to 1,000 of them, or a Notification
     * @param array<string, mixed>|null $data a JSON object for your page
     * @return list<array{userId: string, eventId: string, cursor: string}> one entry per distinct recipient
     */
    public function notify(
        string|array|Notification $recipients,
        string $type = '',
        string $title = '',
        string $body = '',
        ?array $data = null,
        ?string $idempotencyKey = null,
    ): array {
        $notification = $recipients instanceof Notification ? $recipients : new Notification($recipients, $type, $title, $body, $data);
        return $this->call($this->producerUrl, 'POST', '/v1/notifications', $notification->toArray(), $idempotencyKey ?? self::newKey())['notifications'];
    }

    /**
     * Sends several notifications in one request (POST /v1/notifications/batch): all are accepted, or
     * none (a ValidationException names each field as "notifications[i].field").
     *
     * @param list<Notification> $notifications
     * @return list<list<array{userId: string, eventId: string, cursor: string}>> per notification, in order,
     *         the events it became (one per distinct recipient)
     */
    public function notifyMany(array $notifications, ?string $idempotencyKey = null): array
    {
        $items = [];
        foreach (array_values($notifications) as $i => $notification) {
            if (!$notification instanceof Notification) {
                throw new \InvalidArgumentException("notifications[$i] must be a " . Notification::class);
            }
            $items[] = $notification->toArray();
        }
        $accepted = $this->call($this->producerUrl, 'POST', '/v1/notifications/batch', ['notifications' => $items], $idempotencyKey ?? self::newKey())['notifications'];
        return self::perItem($notifications, $accepted);
    }

    /**
     * Publishes one message to a channel ("system", "order:42"): stored once, delivered to every
     * session subscribed to it, whatever their number.
     *
     * @param array<string, mixed>|null $data
     * @param list<array{id: string, label: string, url?: string, action?: string}>|null $actions up to two buttons (see Notification)
     * @param \DateTimeInterface|null $expiresAt when it leaves inboxes and history
     * @return array{channel: string, eventId: string, cursor: string}
     */
    public function publish(
        string $channel,
        string $type,
        string $title,
        string $body = '',
        ?array $data = null,
        ?string $idempotencyKey = null,
        ?string $eventId = null,
        ?array $actions = null,
        ?\DateTimeInterface $expiresAt = null,
    ): array {
        $payload = ['type' => $type, 'title' => $title, 'body' => $body];
        if ($data !== null) {
            $payload['data'] = (object) $data;
        }
        if ($eventId !== null) {
            $payload['eventId'] = $eventId;
        }
        $payload += Notification::extras($actions, $expiresAt);
        return $this->call($this->producerUrl, 'POST', '/v1/channels/' . self::segment($channel) . '/messages', $payload, $idempotencyKey ?? self::newKey());
    }

    /**
     * A short-lived token for one user's page: it reads and receives only that user's notifications,
     * and the channels whose patterns ("system", "order:*", "*") you grant.
     *
     * @param list<string>|null $channels channel patterns for the token's "channels" claim
     * @return array{token: string, expiresAt: string}
     */
    public function mintToken(string $userId, int $ttlSeconds = 3600, ?array $channels = null): array
    {
        $payload = ['userId' => $userId, 'ttlSeconds' => $ttlSeconds];
        if ($channels !== null) {
            $payload['channels'] = array_values($channels);
        }
        return $this->call($this->producerUrl, 'POST', '/v1/tokens', $payload);
    }

    /**
     * One page of a user's inbox, newest first (with $after: what came after it, oldest first).
     * Follow "next" as $before for the older page.
     *
     * @param string|null $status unread, read, all (Herald's default), unseen, seen or archived
     * @return array{items: list<array<string, mixed>>, next: ?string, cursor: ?string}
     */
    public function notifications(string $userId, ?string $status = null, ?int $limit = null, ?string $before = null, ?string $after = null): array
    {
        $query = self::query(['status' => $status, 'limit' => $limit, 'before' => $before, 'after' => $after]);
        return $this->call($this->store(), 'GET', '/v1/users/' . self::segment($userId) . '/notifications' . $query);
    }

    public function unreadCount(string $userId): int
    {
        return (int) $this->call($this->store(), 'GET', '/v1/users/' . self::segment($userId) . '/notifications/unread-count')['unread'];
    }

    /**
     * Marks the user's notifications with that event id read ($channel for an inbox channel's message).
     *
     * @return array{eventId: ?string, cursor: ?string, applied: bool, unread: int} applied false: not yet visible within 5 s
     */
    public function markRead(string $userId, string $eventId, ?string $channel = null): array
    {
        return $this->call($this->store(), 'POST', '/v1/users/' . self::segment($userId) . '/notifications/'
            . self::segment($eventId) . '/read' . self::query(['channel' => $channel]));
    }

    /** @return array{eventId: ?string, cursor: ?string, applied: bool, unread: int, unseen: int} */
    public function markAllRead(string $userId): array
    {
        return $this->call($this->store(), 'POST', '/v1/users/' . self::segment($userId) . '/notifications/read-all');
    }

    /** The user's items not seen yet (archived ones left out), e.g. for a badge until the feed is opened. */
    public function unseenCount(string $userId): int
    {
        return (int) $this->call($this->store(), 'GET', '/v1/users/' . self::segment($userId) . '/notifications/unread-count')['unseen'];
    }

    /**
     * Marks the user's notifications with that event id seen (shown in an opened feed; independent
     * of read). $channel for an inbox channel's message.
     *
     * @return array{eventId: ?string, cursor: ?string, applied: bool, unread: int, unseen: int}
     */
    public function markSeen(string $userId, string $eventId, ?string $channel = null): array
    {
        return $this->itemState($userId, $eventId, 'seen', $channel);
    }

    /** @return array{eventId: ?string, cursor: ?string, applied: bool, unread: int, unseen: int} */
    public function markAllSeen(string $userId): array
    {
        return $this->call($this->store(), 'POST', '/v1/users/' . self::segment($userId) . '/notifications/seen-all');
    }

    /**
     * Archives the user's notifications with that event id: hidden from the default list (listed by
     * status "archived") and counted neither as unread nor as unseen.
     *
     * @return array{eventId: ?string, cursor: ?string, applied: bool, unread: int, unseen: int}
     */
    public function archive(string $userId, string $eventId, ?string $channel = null): array
    {
        return $this->itemState($userId, $eventId, 'archive', $channel);
    }

    /** @return array{eventId: ?string, cursor: ?string, applied: bool, unread: int, unseen: int} */
    public function unarchive(string $userId, string $eventId, ?string $channel = null): array
    {
        return $this->itemState($userId, $eventId, 'unarchive', $channel);
    }

    /**
     * Archives the user's read notifications ($status "read", Herald's default) or all of them ("all").
     *
     * @return array{eventId: ?string, cursor: ?string, applied: bool, unread: int, unseen: int}
     */
    public function archiveAll(string $userId, string $status = 'read'): array
    {
        return $this->call($this->store(), 'POST', '/v1/users/' . self::segment($userId) . '/notifications/archive-all'
            . self::query(['status' => $status]));
    }

    private function itemState(string $userId, string $eventId, string $action, ?string $channel): array
    {
        return $this->call($this->store(), 'POST', '/v1/users/' . self::segment($userId) . '/notifications/'
            . self::segment($eventId) . '/' . $action . self::query(['channel' => $channel]));
    }

    /**
     * The user's preference set: the rules, and the cursor and time of the change that set them
     * (an empty list and nulls when the user never set any).
     *
     * @return array{rules: list<array{type: string, mute: bool}>, cursor: ?string, updatedAt: ?string}
     */
    public function preferences(string $userId): array
    {
        return $this->call($this->store(), 'GET', '/v1/users/' . self::segment($userId) . '/preferences');
    }

    /**
     * Replaces the user's whole preference set. Each rule mutes (or allows) a type: "*", a type
     * ("order.shipped") or a prefix ("marketing.*"); the most specific match decides; at most 50.
     * It applies to notifications sent after it; a notification sent with critical bypasses it.
     *
     * @param list<array{type: string, mute: bool}> $rules
     * @return array{eventId: string, cursor: string, applied: bool, rules: list<array{type: string, mute: bool}>} applied false: not yet visible within 5 s
     * @throws ValidationException naming each bad field (rules, rules[3].type, …)
     */
    public function setPreferences(string $userId, array $rules): array
    {
        return $this->call($this->store(), 'PUT', '/v1/users/' . self::segment($userId) . '/preferences', ['rules' => array_values($rules)]);
    }

    /**
     * One page of a channel's history (a key with the read scope reads any channel).
     *
     * @return array{items: list<array<string, mixed>>, next: ?string, cursor: ?string}
     */
    public function channelMessages(string $channel, ?int $limit = null, ?string $before = null, ?string $after = null): array
    {
        $query = self::query(['limit' => $limit, 'before' => $before, 'after' => $after]);
        return $this->call($this->store(), 'GET', '/v1/channels/' . self::segment($channel) . '/messages' . $query);
    }

    /**
     * Builds the request, sends it under the retry policy (the same request, so the same
     * Idempotency-Key, every time) and decodes a 2xx answer, or throws the typed refusal.
     *
     * @return array<string, mixed>
     */
    private function call(string $base, string $method, string $path, ?array $payload = null, ?string $idempotencyKey = null): array
    {
        $request = $this->request($base, $method, $path, $payload, $idempotencyKey);
        return $this->retry->run(function () use ($request): array {
            return self::decode($this->transport->send($request));
        });
    }

    private function request(string $base, string $method, string $path, ?array $payload = null, ?string $idempotencyKey = null): Request
    {
        $headers = [
            'Authorization' => 'Bearer ' . $this->apiKey,
            'Accept' => 'application/json, application/problem+json',
        ];
        $body = null;
        if ($payload !== null) {
            $headers['Content-Type'] = 'application/json';
            $body = json_encode($payload, JSON_THROW_ON_ERROR | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);
        }
        if ($idempotencyKey !== null) {
            $headers['Idempotency-Key'] = $idempotencyKey;
        }
        return new Request($method, $base . $path, $headers, $body);
    }

    /** @return array<string, mixed> */
    private static function decode(Response $response): array
    {
        if ($response->status < 200 || $response->status >= 300) {
            throw HeraldException::fromResponse($response);
        }
        $decoded = json_decode($response->body, true);
        if (!is_array($decoded)) {
            throw new HeraldException('Herald answered ' . $response->status . ' with a body that is not a JSON object', $response->status);
        }
        return $decoded;
    }

    /**
     * Herald answers a batch with one flat list, in the order of the items, each item giving one
     * event per distinct recipient: this cuts it back into one list per item.
     *
     * @param list<Notification> $notifications
     * @param list<array<string, mixed>> $accepted
     * @return list<list<array<string, mixed>>>
     */
    public static function perItem(array $notifications, array $accepted): array
    {
        $results = [];
        $offset = 0;
        foreach (array_values($notifications) as $notification) {
            $count = $notification->eventCount();
            $results[] = array_slice($accepted, $offset, $count);
            $offset += $count;
        }
        if ($offset !== count($accepted)) {
            throw new HeraldException(sprintf('Herald accepted %d events for a batch that makes %d', count($accepted), $offset), 202);
        }
        return $results;
    }

    private function store(): string
    {
        if ($this->storeUrl === null) {
            throw new \LogicException('inbox reads go to notification-store: pass storeUrl (e.g. http://localhost:8081) to HeraldClient');
        }
        return $this->storeUrl;
    }

    private static function segment(string $value): string
    {
        // ':' is kept as it is in channel names ("order:42"); everything else that is not unreserved is encoded.
        return str_replace('%3A', ':', rawurlencode($value));
    }

    /** @param array<string, scalar|null> $parameters */
    private static function query(array $parameters): string
    {
        $present = array_filter($parameters, static fn ($value): bool => $value !== null);
        return $present === [] ? '' : '?' . http_build_query($present, '', '&', PHP_QUERY_RFC3986);
    }

    private static function newKey(): string
    {
        return bin2hex(random_bytes(16));
    }
}
