"""Drives a Poe bot with fastapi_poe's own client, as another bot or Poe's tools would, and prints one JSON
object with what the client saw: its messages, the exception it ended with, and how often it reported a failed try.

    python client.py query    BASE_URL BOT KEY TEXT [--attachment URL NAME CONTENT] [--image URL NAME]
                              [--language CODE] [--bot-query-id ID]                  (stream_request)
    python client.py tools    BASE_URL BOT KEY TEXT    (stream_request running its whole tool loop with get_weather)
    python client.py final    BASE_URL BOT KEY TEXT                                   (get_final_response)
    python client.py sync     BASE_URL BOT KEY TEXT                                   (get_bot_response_sync)
    python client.py settings BASE_URL BOT KEY
    python client.py reports  BASE_URL BOT KEY
    python client.py sync-settings POE_API_URL BOT_NAME KEY SETTINGS_JSON   (sync_bot_settings, as make_app does)
    python client.py settings-model SETTINGS_JSON    (the settings as fastapi_poe's SettingsResponse reads them)
    python client.py forward  BOT_API_URL BOT KEY REQUEST_JSON  (stream_request relaying a whole query to a Poe bot,
                                                                 as a server bot forwards the request it got)
    python client.py query-model REQUEST_JSON        (the query as fastapi_poe's QueryRequest reads it)
    python client.py authorize API_URL BOT_QUERY_ID KEY AMOUNTS_JSON   (PoeBot.authorize_cost, as a priced bot
    python client.py capture   API_URL BOT_QUERY_ID KEY AMOUNTS_JSON    and PoeBot.capture_cost call them)
"""
import asyncio
import contextlib
import io
import json
import sys

import fastapi_poe as fp
import httpx
from fastapi_poe.client import _BotContext
from fastapi_poe.types import FunctionDefinition, MetaResponse, ParametersDefinition


def request(text, attachment=None, image=None, language="en", bot_query_id=""):
    attachments = []
    if attachment:
        url, name, content = attachment
        attachments.append(fp.Attachment(url=url, content_type="text/plain", name=name, parsed_content=content))
    if image:
        url, name = image
        attachments.append(fp.Attachment(url=url, content_type="image/png", name=name))
    return fp.QueryRequest(
        version="1.2", type="query",
        query=[fp.ProtocolMessage(role="user", content=text, attachments=attachments)],
        user_id="u-conformance", conversation_id="c-conformance", message_id="m-conformance",
        language_code=language, bot_query_id=bot_query_id)


def describe(message):
    if isinstance(message, MetaResponse):
        return {"kind": "meta", "content_type": message.content_type,
                "suggested_replies": message.suggested_replies}
    if message.is_suggested_reply:
        return {"kind": "suggested_reply", "text": message.text}
    if message.is_replace_response:
        return {"kind": "replace_response", "text": message.text}
    if message.data is not None:
        return {"kind": "data", "data": message.data}
    return {"kind": "text", "text": message.text}


def failure(error):
    return {"type": type(error).__name__, "message": str(error)}


async def stream(base_url, bot, key, text, attachment, image, language, bot_query_id):
    seen = {"messages": [], "error": None, "failed_tries": 0}

    def on_error(error, message):
        seen["failed_tries"] += 1

    try:
        query = request(text, attachment, image, language, bot_query_id)
        async for message in fp.stream_request(query, bot, key, base_url=base_url, on_error=on_error,
                                               retry_sleep_time=0.1):
            seen["messages"].append(describe(message))
    except Exception as error:  # the client's own verdict is what the test asserts on
        seen["error"] = failure(error)
    return seen


def get_weather(city):
    """The function the tool loop offers the model; its result goes back as JSON text."""
    return {"city": city, "temperature_c": 3, "sky": "clear"}


WEATHER_TOOL = fp.ToolDefinition(type="function", function=FunctionDefinition(
    name="get_weather", description="The current weather in a city",
    parameters=ParametersDefinition(type="object", properties={"city": {"type": "string"}}, required=["city"])))


async def tools(base_url, bot, key, text):
    """fastapi_poe's own function-calling loop: offer the tool, run the calls the model makes, ask again."""
    seen = {"messages": [], "error": None, "failed_tries": 0}
    try:
        async for message in fp.stream_request(request(text), bot, key, base_url=base_url, tools=[WEATHER_TOOL],
                                               tool_executables=[get_weather], retry_sleep_time=0.1):
            seen["messages"].append(describe(message))
    except Exception as error:
        seen["error"] = failure(error)
    return seen


async def final(base_url, bot, key, text):
    try:
        return {"text": await fp.get_final_response(request(text), bot, key, base_url=base_url,
                                                    retry_sleep_time=0.1), "error": None}
    except Exception as error:
        return {"text": None, "error": failure(error)}


def sync(base_url, bot, key, text):
    messages = [fp.ProtocolMessage(role="user", content=text)]
    try:
        return {"messages": [describe(m) for m in fp.get_bot_response_sync(messages, bot, key, base_url=base_url)],
                "error": None}
    except Exception as error:
        return {"messages": [], "error": failure(error)}


async def settings(base_url, bot, key):
    async with httpx.AsyncClient() as session:
        context = _BotContext(endpoint=base_url + bot, session=session, api_key=key)
        return await context.fetch_settings()


async def reports(base_url, bot, key):
    async with httpx.AsyncClient() as session:
        context = _BotContext(endpoint=base_url + bot, session=session, api_key=key)
        await context.report_feedback("m-conformance", "u-conformance", "c-conformance", "like")
        await context.report_reaction("m-conformance", "u-conformance", "c-conformance", "like")
        await context.report_error("conformance check", {"message_id": "m-conformance"})
        return {"reported": 3}


def sync_settings(api_url, bot_name, key, settings):
    """Pushes the settings the way make_app does on start: a SettingsResponse, model_dump()ed."""
    model = fp.SettingsResponse(**json.loads(settings))
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # sync_bot_settings prints Poe's answer
            fp.sync_bot_settings(bot_name, key, settings=model.model_dump(), base_url=api_url)
        return {"synced": True, "error": None}
    except Exception as error:
        return {"synced": False, "error": failure(error)}


def settings_model(settings):
    """The settings as fastapi_poe's SettingsResponse reads them, or why it refuses them (it forbids extra keys)."""
    try:
        return {"settings": fp.SettingsResponse.model_validate(json.loads(settings)).model_dump(mode="json"),
                "error": None}
    except Exception as error:
        return {"settings": None, "error": failure(error)}


async def forward(bot_api_url, bot, key, body):
    """What a fastapi_poe server bot does with the request it got: stream_request(request, bot, key)."""
    request = fp.QueryRequest.model_validate(json.loads(body))
    seen = {"messages": [], "error": None}
    try:
        async for message in fp.stream_request(request, bot, key, base_url=bot_api_url, num_tries=1):
            seen["messages"].append(describe(message))
    except Exception as error:
        seen["error"] = failure(error)
    return seen


def query_model(body):
    """The query as fastapi_poe's QueryRequest reads it, every field with its value or default."""
    return fp.QueryRequest.model_validate(json.loads(body)).model_dump(mode="json")


async def cost(step, api_url, bot_query_id, key, amounts):
    """A priced fastapi_poe bot's authorize_cost or capture_cost for the query BOT_QUERY_ID, against API_URL."""
    bot = fp.PoeBot(access_key=key)
    items = [fp.CostItem(**amount) for amount in json.loads(amounts)]
    method = bot.authorize_cost if step == "authorize" else bot.capture_cost
    try:
        await method(request("priced", bot_query_id=bot_query_id), items, base_url=api_url)
        return {"approved": True, "error": None}
    except Exception as error:
        return {"approved": False, "error": failure(error)}


def option(rest, name, count):
    """The values of option NAME (taken out of REST), or None."""
    if name not in rest:
        return None
    index = rest.index(name)
    values = rest[index + 1:index + 1 + count]
    del rest[index:index + 1 + count]
    return values


def main(argv):
    if argv[1] == "settings-model":
        print(json.dumps(settings_model(argv[2]), ensure_ascii=False))
        return
    if argv[1] == "query-model":
        print(json.dumps(query_model(argv[2]), ensure_ascii=False))
        return
    command, base_url, bot, key = argv[1:5]
    rest = argv[5:]
    attachment = option(rest, "--attachment", 3)
    image = option(rest, "--image", 2)
    language = (option(rest, "--language", 1) or ["en"])[0]
    bot_query_id = (option(rest, "--bot-query-id", 1) or [""])[0]
    if command == "query":
        result = asyncio.run(stream(base_url, bot, key, rest[0], attachment, image, language, bot_query_id))
    elif command == "tools":
        result = asyncio.run(tools(base_url, bot, key, rest[0]))
    elif command == "final":
        result = asyncio.run(final(base_url, bot, key, rest[0]))
    elif command == "sync":
        result = sync(base_url, bot, key, rest[0])
    elif command == "settings":
        result = asyncio.run(settings(base_url, bot, key))
    elif command == "reports":
        result = asyncio.run(reports(base_url, bot, key))
    elif command in ("authorize", "capture"):
        result = asyncio.run(cost(command, base_url, bot, key, rest[0]))
    elif command == "forward":
        result = asyncio.run(forward(base_url, bot, key, rest[0]))
    elif command == "sync-settings":
        result = sync_settings(base_url, bot, key, rest[0])
    else:
        raise SystemExit("unknown command " + command)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv)
