#!/usr/bin/python3
"""OpenStack's Redfish client library (sushy, as Ironic uses it) inserting and ejecting discs.

discs has no Redfish SessionService: the API's bearer token goes as X-Auth-Token, the header a
Redfish session's token travels in. Settings from the environment: BASE (scheme and authority),
TOKEN, MEDIA (the VirtualMedia resource's path), IMAGE_A (an /api/v1/images/{id} URL), NAME_A.
Prints "SUSHY <name> <value>" lines for the test to read.
"""
import os

import sushy
from sushy import auth


class BearerToken(auth.AuthBase):
    """The API's token, sent on every request as a Redfish session token is."""

    def __init__(self, token):
        super().__init__()
        self._token = token

    def _do_authenticate(self):
        self._connector.set_http_session_auth(self._token)

    def can_refresh_session(self):
        return False


env = os.environ
root = sushy.Sushy(env["BASE"] + "/redfish/v1", auth=BearerToken(env["TOKEN"]))
manager = root.get_manager("/redfish/v1/Managers/discs")
media = manager.virtual_media.get_member(env["MEDIA"])
print("SUSHY media-types", ",".join(sorted(str(getattr(t, "value", t)) for t in media.media_types)), flush=True)
print("SUSHY before-inserted", media.inserted, flush=True)
media.insert_media(env["IMAGE_A"], inserted=True, write_protected=True)
media.refresh()
print("SUSHY after-insert-inserted", media.inserted, flush=True)
print("SUSHY after-insert-image-name", media.image_name, flush=True)
media.eject_media()
media.refresh()
print("SUSHY after-eject-inserted", media.inserted, flush=True)
print("SUSHY after-eject-image-name", media.image_name, flush=True)
