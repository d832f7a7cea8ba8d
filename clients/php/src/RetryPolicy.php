<?php

declare(strict_types=1);

namespace Herald;

/**
 * When to send a request again and how long to wait first. Only answers that mean "not accepted,
 * try later" are retried: 503 and no answer at all (TransportException). Every retry carries the
 * same Idempotency-Key, so Herald keeps exactly one copy of what it may already have accepted.
 * A 429 is not retried here: the key's budget is spent and waiting is the caller's choice.
 *
 * Waits are bounded: Retry-After when Herald gave one, else exponential back-off from
 * $baseDelaySeconds, never longer than $maxDelaySeconds, for at most $attempts sends in all.
 */
final class RetryPolicy
{
    /** @var callable(float): void */
    private $sleep;

    /** @param (callable(float): void)|null $sleep waits that many seconds (tests pass a recorder) */
    public function __construct(
        public readonly int $attempts = 3,
        public readonly float $baseDelaySeconds = 0.5,
        public readonly float $maxDelaySeconds = 5.0,
        ?callable $sleep = null,
    ) {
        if ($attempts < 1) {
            throw new \InvalidArgumentException('attempts must be at least 1, not ' . $attempts);
        }
        $this->sleep = $sleep ?? static function (float $seconds): void {
            usleep((int) round($seconds * 1_000_000));
        };
    }

    public static function none(): self
    {
        return new self(1);
    }

    public function isRetriable(HeraldException $e): bool
    {
        return $e instanceof TransportException || $e instanceof UnavailableException;
    }

    /** Seconds to wait before attempt $attempt + 1, or null to give up and throw $e. */
    public function delayAfter(int $attempt, HeraldException $e): ?float
    {
        if ($attempt >= $this->attempts || !$this->isRetriable($e)) {
            return null;
        }
        $delay = $e->retryAfter !== null
            ? (float) $e->retryAfter
            : $this->baseDelaySeconds * 2 ** ($attempt - 1);
        return min($this->maxDelaySeconds, max(0.0, $delay));
    }

    /**
     * Runs $send until it returns, or until the policy gives up (then its last exception is thrown).
     *
     * @template T
     * @param callable(): T $send
     * @return T
     */
    public function run(callable $send): mixed
    {
        for ($attempt = 1; ; $attempt++) {
            try {
                return $send();
            } catch (HeraldException $e) {
                $delay = $this->delayAfter($attempt, $e);
                if ($delay === null) {
                    throw $e;
                }
                ($this->sleep)($delay);
            }
        }
    }
}
