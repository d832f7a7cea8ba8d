<?php

declare(strict_types=1);

namespace Herald;

/** 429: the key's rate limit; nothing of the request was sent. Retry after $retryAfter seconds. */
class RateLimitedException extends HeraldException
{
}
