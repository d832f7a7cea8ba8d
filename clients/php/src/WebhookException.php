<?php

declare(strict_types=1);

namespace Herald;

/** A webhook request that is not a valid, fresh, signed Herald alert: answer it 400 and do nothing. */
final class WebhookException extends HeraldException
{
}
