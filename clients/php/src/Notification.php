<?php

declare(strict_types=1);

namespace Herald;

/**
 * One notification for one user or several (one event each), as POST /v1/notifications and each
 * item of /v1/notifications/batch take it. Herald validates the fields; this only shapes them.
 */
final class Notification
{
    /** @var list<string> */
    public readonly array $recipients;

    /** Given as one user id (sent as userId) rather than a list (sent as recipients). */
    private readonly bool $single;

    /**
     * @param string|list<string> $recipients a user id, or up to 1,000 of them
     * @param array<string, mixed>|null $data a JSON object (up to 16 KiB) for your page
     * @param string|null $eventId your id for it (single recipient only); the same id again is the same notification
     * @param list<array{id: string, label: string, url?: string, action?: string}>|null $actions up to two buttons:
     *        ['id' => 'track', 'label' => 'Track', 'url' => 'https://…'] or ['id' => 'archive', 'label' => 'Archive', 'action' => 'archive']
     * @param \DateTimeInterface|null $expiresAt when it leaves the inbox (after now, at most 366 days ahead)
     * @param list<string> $tags up to 10 labels for the inbox's tabs and counts ("vip", "eu-west"), each
     *        lower-case words joined by '.', '_' or '-' (at most 32 characters); sent only when not empty
     */
    public function __construct(
        string|array $recipients,
        public readonly string $type,
        public readonly string $title,
        public readonly string $body = '',
        public readonly ?array $data = null,
        public readonly ?string $eventId = null,
        public readonly ?\DateTimeInterface $occurredAt = null,
        /** Bypasses the recipients' mutes (their preferences). */
        public readonly bool $critical = false,
        public readonly ?array $actions = null,
        public readonly ?\DateTimeInterface $expiresAt = null,
        public readonly array $tags = [],
    ) {
        $list = is_array($recipients) ? array_values(array_map('strval', $recipients)) : [$recipients];
        if ($list === []) {
            throw new \InvalidArgumentException('a notification needs at least one recipient');
        }
        $this->recipients = $list;
        $this->single = !is_array($recipients);
    }

    /** The JSON object Herald takes: userId for one recipient given as a string, recipients otherwise. */
    public function toArray(): array
    {
        $payload = $this->single ? ['userId' => $this->recipients[0]] : ['recipients' => $this->recipients];
        $payload += ['type' => $this->type, 'title' => $this->title, 'body' => $this->body];
        if ($this->data !== null) {
            $payload['data'] = (object) $this->data;
        }
        if ($this->eventId !== null) {
            $payload['eventId'] = $this->eventId;
        }
        if ($this->occurredAt !== null) {
            $payload['occurredAt'] = self::instant($this->occurredAt);
        }
        if ($this->critical) {
            $payload['critical'] = true;
        }
        if ($this->tags !== []) {
            $payload['tags'] = array_values(array_map('strval', $this->tags));
        }
        return $payload + self::extras($this->actions, $this->expiresAt);
    }

    /**
     * The optional fields a notification and a channel message share: `actions` (as given, in order)
     * and `expiresAt` (in UTC), each only when set.
     *
     * @param list<array<string, string>>|null $actions
     * @return array<string, mixed>
     */
    public static function extras(?array $actions, ?\DateTimeInterface $expiresAt): array
    {
        $extras = [];
        if ($actions !== null) {
            $extras['actions'] = array_values($actions);
        }
        if ($expiresAt !== null) {
            $extras['expiresAt'] = self::instant($expiresAt);
        }
        return $extras;
    }

    private static function instant(\DateTimeInterface $at): string
    {
        return \DateTimeImmutable::createFromInterface($at)->setTimezone(new \DateTimeZone('UTC'))->format('Y-m-d\\TH:i:s.v\\Z');
    }

    /** How many events Herald makes of it: one per distinct recipient, in the order given. */
    public function eventCount(): int
    {
        return count(array_unique($this->recipients));
    }
}
