<?php

declare(strict_types=1);

namespace Herald;

/**
 * Checks a webhook POST of Herald's receipt tracker: a "not delivered within N seconds" or
 * "unseen after M minutes" alert about one notification (so the app can e-mail instead).
 *
 * Herald signs each POST as Stripe does: the header Herald-Signature is
 * "t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed by the shared secret>". Verify
 * the raw body as received (before any JSON decoding), and reject old timestamps, so a captured
 * request cannot be replayed later. Each alert has a Herald-Delivery id (also its "deliveryId"):
 * a retried or re-raised alert keeps it, so dedupe by it. Answer 2xx once the alert is stored;
 * anything else makes Herald retry with back-off.
 *
 *   $alert = Webhook::verify($rawBody, $request->getHeaderLine('Herald-Signature'), $secret);
 *   // ['deliveryId' => …, 'kind' => 'not_delivered'|'unseen', 'userId' => …, 'eventId' => …, …]
 */
final class Webhook
{
    public const SIGNATURE_HEADER = 'Herald-Signature';
    public const DELIVERY_HEADER = 'Herald-Delivery';
    /** Five minutes, as Stripe's libraries default to. */
    public const DEFAULT_TOLERANCE = 300;

    private function __construct()
    {
    }

    /**
     * The alert, once its signature is valid and at most $tolerance seconds old.
     *
     * @return array<string, mixed>
     * @throws WebhookException when the signature is missing, malformed, wrong or too old, or the body is not an alert
     */
    public static function verify(string $payload, ?string $header, string $secret, int $tolerance = self::DEFAULT_TOLERANCE, ?int $now = null): array
    {
        if ($secret === '') {
            throw new WebhookException('no webhook secret configured (herald.store.receipts.webhook.secret)');
        }
        if ($header === null || trim($header) === '') {
            throw new WebhookException('no ' . self::SIGNATURE_HEADER . ' header');
        }
        $timestamp = null;
        $signatures = [];
        foreach (explode(',', $header) as $part) {
            $pair = explode('=', trim($part), 2);
            if (count($pair) !== 2) {
                continue;
            }
            if ($pair[0] === 't' && ctype_digit($pair[1])) {
                $timestamp = (int) $pair[1];
            } elseif ($pair[0] === 'v1') {
                $signatures[] = $pair[1];
            }
        }
        if ($timestamp === null || $signatures === []) {
            throw new WebhookException(self::SIGNATURE_HEADER . ' must look like t=<unix seconds>,v1=<hex>');
        }
        if (abs(($now ?? time()) - $timestamp) > $tolerance) {
            throw new WebhookException('the signature is older than ' . $tolerance . ' seconds (or the clocks disagree)');
        }
        $expected = self::sign($payload, $secret, $timestamp);
        $valid = false;
        foreach ($signatures as $signature) {
            $valid = hash_equals($expected, $signature) || $valid;
        }
        if (!$valid) {
            throw new WebhookException('the signature does not match the body (wrong secret, or the body was changed)');
        }
        $alert = json_decode($payload, true);
        if (!is_array($alert) || !isset($alert['deliveryId'], $alert['kind'], $alert['userId'], $alert['eventId'])) {
            throw new WebhookException('the body is not a Herald receipt alert');
        }
        return $alert;
    }

    /** The hex signature Herald puts after "v1=" (for tests, or to sign a test request). */
    public static function sign(string $payload, string $secret, int $timestamp): string
    {
        return hash_hmac('sha256', $timestamp . '.' . $payload, $secret);
    }

    /** A whole Herald-Signature header value. */
    public static function header(string $payload, string $secret, int $timestamp): string
    {
        return 't=' . $timestamp . ',v1=' . self::sign($payload, $secret, $timestamp);
    }
}
