package dev.botfleet.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;

/** A choice of a drop-down (value and name) or of an aspect-ratio picker (width, height, optional value). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ParameterOption {

    @Size(max = 200)
    @JsonPropertyDescription("The value that goes in the message's parameters.")
    private String value;

    @Size(max = 100)
    @JsonPropertyDescription("drop_down: the choice as the user sees it.")
    private String name;

    @Min(0)
    @JsonPropertyDescription("aspect_ratio: the width of the ratio.")
    private Double width;

    @Min(0)
    @JsonPropertyDescription("aspect_ratio: the height of the ratio.")
    private Double height;

    public String getValue() {
        return value;
    }

    public void setValue(String value) {
        this.value = value;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public Double getWidth() {
        return width;
    }

    public void setWidth(Double width) {
        this.width = width;
    }

    public Double getHeight() {
        return height;
    }

    public void setHeight(Double height) {
        this.height = height;
    }
}
