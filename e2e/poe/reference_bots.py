"""fastapi_poe reference bots, served by uvicorn on a port, for `botfleet query` to talk to:

    echo        answers the user's message
    error       an error that allows no retry, after some text
    retry       an error that allows a retry, before any text
    replace     some text, then replaces it
    suggest     meta with suggested replies, text, two suggested replies
    data        text and a data event
    keyed       echo, with the access key ACCESS_KEY

    python reference_bots.py PORT
"""
import sys

import fastapi_poe as fp
import uvicorn

ACCESS_KEY = "reference-access-key-01234567890"


class Echo(fp.PoeBot):
    async def get_response(self, request):
        yield fp.PartialResponse(text=request.query[-1].content)


class Error(fp.PoeBot):
    async def get_response(self, request):
        yield fp.PartialResponse(text="partial ")
        yield fp.ErrorResponse(text="the reference bot failed", allow_retry=False)


class Retry(fp.PoeBot):
    async def get_response(self, request):
        yield fp.ErrorResponse(text="busy, try again", allow_retry=True)


class Replace(fp.PoeBot):
    async def get_response(self, request):
        yield fp.PartialResponse(text="first draft")
        yield fp.PartialResponse(text="final answer", is_replace_response=True)


class Suggest(fp.PoeBot):
    async def get_response(self, request):
        yield fp.MetaResponse(text="", content_type="text/markdown", suggested_replies=True)
        yield fp.PartialResponse(text="Here you go.")
        yield fp.PartialResponse(text="Tell me more", is_suggested_reply=True)
        yield fp.PartialResponse(text="Thanks", is_suggested_reply=True)


class Data(fp.PoeBot):
    async def get_response(self, request):
        yield fp.PartialResponse(text="with data")
        yield fp.DataResponse(metadata='{"run": 1}')


def app():
    bots = [Echo(path="/bots/echo"), Error(path="/bots/error"),
            Retry(path="/bots/retry"), Replace(path="/bots/replace"),
            Suggest(path="/bots/suggest"), Data(path="/bots/data"),
            Echo(path="/bots/keyed", access_key=ACCESS_KEY)]
    return fp.make_app(bots, allow_without_key=True)


if __name__ == "__main__":
    uvicorn.run(app(), host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
