<?php

declare(strict_types=1);

namespace Herald;

/** 401 (the API key is missing or not valid) or 403 (the key lacks the scope, e.g. tokens or read). $status tells which. */
class AuthenticationException extends HeraldException
{
}
