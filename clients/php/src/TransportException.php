<?php

declare(strict_types=1);

namespace Herald;

/**
 * Herald was not reached or did not answer in time (status 0): connection refused or reset, DNS,
 * TLS, timeout. The client already retried; a request with an Idempotency-Key may still have been
 * accepted, and sending it again with the same key is safe.
 */
class TransportException extends HeraldException
{
    public function __construct(string $message, public readonly bool $timedOut = false, ?\Throwable $previous = null)
    {
        parent::__construct($message, 0, [], null, $previous);
    }
}
