package dev.botfleet.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

import java.util.List;

/**
 * The parameter controls Poe shows beside the chat input (Poe's {@code parameter_controls}, api_version 2): sections
 * of controls, optionally in tabs. The values a user chooses come back in each message's {@code parameters};
 * {@code spec.parameters} says which of them change the request the bot sends its provider.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ParameterControls {

    /** The only version of the schema Poe has. */
    public static final String API_VERSION = "2";

    @Required
    @Size(min = 1, max = 10)
    @JsonPropertyDescription("Sections of controls, in order.")
    private List<Section> sections;

    public List<Section> getSections() {
        return sections;
    }

    public void setSections(List<Section> sections) {
        this.sections = sections;
    }

    /** A group of controls with an optional heading, laid out directly or in tabs. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @io.fabric8.generator.annotation.ValidationRule(value = "has(self.controls) || has(self.tabs)",
            message = "a section needs controls or tabs", fieldPath = ".controls", reason = "FieldValueRequired")
    public static class Section {

        @Size(max = 100)
        @JsonPropertyDescription("Heading of the section.")
        private String name;

        @Size(max = 30)
        @JsonPropertyDescription("The section's controls.")
        private List<ParameterControl> controls;

        @Size(max = 5)
        @JsonPropertyDescription("Tabs of controls, instead of or after the section's own.")
        private List<Tab> tabs;

        @JsonPropertyDescription("Whether Poe shows the section folded.")
        private Boolean collapsedByDefault;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public List<ParameterControl> getControls() {
            return controls;
        }

        public void setControls(List<ParameterControl> controls) {
            this.controls = controls;
        }

        public List<Tab> getTabs() {
            return tabs;
        }

        public void setTabs(List<Tab> tabs) {
            this.tabs = tabs;
        }

        public Boolean getCollapsedByDefault() {
            return collapsedByDefault;
        }

        public void setCollapsedByDefault(Boolean collapsedByDefault) {
            this.collapsedByDefault = collapsedByDefault;
        }
    }

    /** One tab of a section. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Tab {

        @Size(max = 100)
        @JsonPropertyDescription("Label of the tab.")
        private String name;

        @Required
        @Size(max = 30)
        @JsonPropertyDescription("The tab's controls.")
        private List<ParameterControl> controls;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public List<ParameterControl> getControls() {
            return controls;
        }

        public void setControls(List<ParameterControl> controls) {
            this.controls = controls;
        }
    }
}
