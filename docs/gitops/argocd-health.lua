-- Argo CD health of botfleet resources (LLMBot, LLMProvider, BotRuntime), from their Ready
-- condition. Install it for each kind in argocd-cm (see docs/gitops/README.md).
hs = {status = "Progressing", message = "Waiting for the botfleet operator"}
if obj.status == nil or obj.status.conditions == nil then return hs end
if obj.status.observedGeneration == nil or obj.status.observedGeneration < obj.metadata.generation then
  hs.message = "The operator has not seen the latest spec yet"
  return hs
end
for _, c in ipairs(obj.status.conditions) do
  if c.type == "Ready" then
    hs.message = c.message
    if c.status == "True" then hs.status = "Healthy"
    elseif c.reason == "RuntimeNotAvailable" then hs.status = "Progressing"
    else hs.status = "Degraded" end
    return hs
  end
end
return hs
