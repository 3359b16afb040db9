package dev.botfleet.operator.reconcile;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApiErrorsTest {

    private static KubernetesClientException refusal(int code, Status status) {
        return new KubernetesClientException(status.getMessage(), code, status);
    }

    @Test
    void aNamespaceBeingDeletedIsToldApartFromOtherRefusals() {
        Status terminating = new StatusBuilder().withCode(403).withMessage("configmaps \"x\" is forbidden: unable to "
                        + "create new content in namespace gone because it is being terminated")
                .withNewDetails().addNewCause().withReason("NamespaceTerminating").endCause().endDetails().build();
        Status rbac = new StatusBuilder().withCode(403).withMessage("deployments.apps is forbidden: User cannot create")
                .withNewDetails().addNewCause().withReason("FieldValueForbidden").endCause().endDetails().build();
        Status noDetails = new StatusBuilder().withCode(403).withMessage("forbidden").build();

        assertThat(ApiErrors.namespaceTerminating(refusal(403, terminating))).isTrue();
        assertThat(ApiErrors.namespaceTerminating(refusal(403, rbac))).isFalse();
        assertThat(ApiErrors.namespaceTerminating(refusal(403, noDetails))).isFalse();
        assertThat(ApiErrors.namespaceTerminating(new KubernetesClientException("no status"))).isFalse();
        assertThat(ApiErrors.namespaceTerminating(new IllegalStateException("not an API error"))).isFalse();
    }

    @Test
    void refusalsAre4xxAnswersOnly() {
        Status status = new StatusBuilder().withMessage("m").build();
        assertThat(ApiErrors.refused(refusal(403, status))).isTrue();
        assertThat(ApiErrors.refused(refusal(422, status))).isTrue();
        assertThat(ApiErrors.refused(refusal(400, status))).isTrue();
        assertThat(ApiErrors.refused(refusal(499, status))).isTrue();
        assertThat(ApiErrors.refused(refusal(500, status))).isFalse();
        assertThat(ApiErrors.refused(refusal(399, status))).isFalse();
        assertThat(ApiErrors.refused(new IllegalStateException("x"))).isFalse();
    }

    @Test
    void theApiServersExplanationIsKeptAndCapped() {
        assertThat(ApiErrors.message(refusal(403, new StatusBuilder().withMessage("exceeded quota: q").build())))
                .isEqualTo("exceeded quota: q");
        assertThat(ApiErrors.message(new IllegalStateException("plain"))).isEqualTo("plain");
        assertThat(ApiErrors.message(new KubernetesClientException("client side", 403, new StatusBuilder().build())))
                .isEqualTo("client side");
        String longMessage = "x".repeat(ApiErrors.MAX_MESSAGE + 10);
        assertThat(ApiErrors.message(refusal(403, new StatusBuilder().withMessage(longMessage).build())))
                .hasSize(ApiErrors.MAX_MESSAGE + 1).endsWith("x…");
        assertThat(ApiErrors.message(refusal(403, new StatusBuilder().withMessage("x".repeat(ApiErrors.MAX_MESSAGE))
                .build()))).hasSize(ApiErrors.MAX_MESSAGE);
    }
}
