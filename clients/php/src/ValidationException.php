<?php

declare(strict_types=1);

namespace Herald;

/** 400: the request was refused as it is; fieldErrors() names each field and why. Fix the request, do not retry it. */
class ValidationException extends HeraldException
{
}
