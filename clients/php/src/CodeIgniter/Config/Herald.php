<?php

declare(strict_types=1);

namespace Herald\CodeIgniter\Config;

use CodeIgniter\Config\BaseConfig;

/**
 * Where Herald is and the service's key. Each value comes, first found, from .env as
 * herald.<property> (herald.apiKey = …), from a Registrar, from the environment variable
 * HERALD_<PROPERTY> (HERALD_API_KEY), or the default here. Extend it as app/Config/Herald.php to
 * change defaults in code: config('Herald') then prefers yours.
 */
class Herald extends BaseConfig
{
    /** producer-api: sends, channel publishes, tokens. */
    public string $producerUrl = 'http://localhost:8080';

    /** notification-store: inbox reads, and the <herald-inbox> component's script and REST calls. */
    public string $storeUrl = 'http://localhost:8081';

    /** Any push gateway (it answers /v1/route for the browser). */
    public string $gatewayUrl = 'http://localhost:8082';

    /** The service's API key: scopes send and tokens (and read for inbox reads). Never sent to a page. */
    public string $apiKey = '';

    /** Seconds per request. */
    public float $timeout = 10.0;

    /** Sends in all for a 503 or no answer, with the same Idempotency-Key. */
    public int $attempts = 3;

    /** Lifetime of the tokens herald_inbox() mints for pages. */
    public int $tokenTtl = 3600;

    /** Channel patterns those tokens grant, comma-separated ("system,order:*"); empty: none. */
    public string $tokenChannels = '';

    /** The session key holding the signed-in user's id, for herald_inbox() without a user id. */
    public string $sessionUserKey = 'user_id';

    /** The receipts webhook's secret (notification-store's herald.store.receipts.webhook.secret), for Herald\Webhook::verify. */
    public string $webhookSecret = '';

    private const ENVIRONMENT = [
        'producerUrl' => 'HERALD_PRODUCER_URL',
        'storeUrl' => 'HERALD_STORE_URL',
        'gatewayUrl' => 'HERALD_GATEWAY_URL',
        'apiKey' => 'HERALD_API_KEY',
        'timeout' => 'HERALD_TIMEOUT',
        'attempts' => 'HERALD_ATTEMPTS',
        'tokenTtl' => 'HERALD_TOKEN_TTL',
        'tokenChannels' => 'HERALD_TOKEN_CHANNELS',
        'webhookSecret' => 'HERALD_WEBHOOK_SECRET',
    ];

    public function __construct()
    {
        foreach (self::ENVIRONMENT as $property => $variable) {
            $value = $_ENV[$variable] ?? $_SERVER[$variable] ?? getenv($variable);
            if (is_string($value) && $value !== '') {
                settype($value, get_debug_type($this->$property));
                $this->$property = $value;
            }
        }
        // herald.<property> from .env and registrars outrank the HERALD_* variables.
        parent::__construct();
    }

    /** @return list<string> */
    public function tokenChannelPatterns(): array
    {
        return array_values(array_filter(array_map('trim', explode(',', $this->tokenChannels)), 'strlen'));
    }
}
