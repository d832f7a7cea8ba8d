<?php

declare(strict_types=1);

namespace Herald;

/** 404: nothing at that path (a user or event id that is not one, a store URL that is not a notification-store). */
class NotFoundException extends HeraldException
{
}
