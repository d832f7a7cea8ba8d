<?php

declare(strict_types=1);

namespace Herald;

/** 503: Herald could not accept it now (Kafka unreachable, a store catching up). The client already retried with the same Idempotency-Key; $retryAfter is Herald's hint. */
class UnavailableException extends HeraldException
{
}
