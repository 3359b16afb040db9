"""The benchmark's anchor: the stack the seed plan builds on, a fastapi_poe bot served by uvicorn that relays
each query through openai-python's async client, one bot per upstream script at /bots/<name>.

    python anchor_bot.py PORT WORKERS    (ANCHOR_UPSTREAM: base URL; ANCHOR_BOTS: name=model,...)
"""
import os
import sys

import fastapi_poe as fp
from openai import AsyncOpenAI

ROLES = {"user": "user", "bot": "assistant", "system": "system"}

client = AsyncOpenAI(base_url=os.environ["ANCHOR_UPSTREAM"], api_key="bench", max_retries=0, timeout=900)


class RelayBot(fp.PoeBot):
    def __init__(self, name: str, model: str) -> None:
        super().__init__(path="/bots/" + name)
        self.model = model

    async def get_response(self, request: fp.QueryRequest):
        messages = [{"role": ROLES.get(m.role, "user"), "content": m.content} for m in request.query]
        stream = await client.chat.completions.create(model=self.model, messages=messages, stream=True)
        async for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                yield fp.PartialResponse(text=chunk.choices[0].delta.content)


bots = [RelayBot(*item.split("=", 1)) for item in os.environ["ANCHOR_BOTS"].split(",")]
app = fp.make_app(bots, allow_without_key=True)

if __name__ == "__main__":
    import uvicorn

    uvicorn.run("anchor_bot:app", host="127.0.0.1", port=int(sys.argv[1]), workers=int(sys.argv[2]),
                log_level="warning")
