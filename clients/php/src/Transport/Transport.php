<?php

declare(strict_types=1);

namespace Herald\Transport;

use Herald\TransportException;

/**
 * Sends one request and returns whatever status came back. A transport never interprets the
 * status (the client does) and never retries (the client's RetryPolicy does).
 */
interface Transport
{
    /** @throws TransportException when no answer came back (connection refused, reset, timed out) */
    public function send(Request $request): Response;
}
